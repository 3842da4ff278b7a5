/// The app's switchboard: CreateSwitchboard, ListSwitchboards, UpdateSwitchboard, DeleteSwitchboard.
public struct SwitchboardsAPI: Sendable {
    let transport: Transport

    /// Creates the app's switchboard, disabled (CreateSwitchboard, `POST /v2/apps/{appId}/switchboards`).
    /// - Throws: ``SunshineClientError``: `400` when the app has one already.
    public func create(appId: String) async throws(SunshineClientError) -> Switchboard {
        try await transport.value(APIRequest(.POST, path("v2", "apps", appId, "switchboards")), at: "switchboard")
    }

    /// The app's switchboards: none or one (ListSwitchboards).
    /// - Throws: ``SunshineClientError``: `404 app_not_found`.
    public func list(appId: String) async throws(SunshineClientError) -> [Switchboard] {
        try await transport.value(APIRequest(.GET, path("v2", "apps", appId, "switchboards")), at: "switchboards")
    }

    /// Enables or disables the switchboard or changes its default (UpdateSwitchboard).
    /// - Throws: ``SunshineClientError``: `404 switchboard_not_found`, `400` when enabling without a default.
    public func update(appId: String, switchboardId: String, _ body: SwitchboardUpdate) async throws(SunshineClientError) -> Switchboard {
        try await transport.value(APIRequest(.PATCH, path("v2", "apps", appId, "switchboards", switchboardId)).json(body), at: "switchboard")
    }

    /// Deletes the switchboard and its integrations (DeleteSwitchboard).
    /// - Throws: ``SunshineClientError``: `404 switchboard_not_found`.
    public func delete(appId: String, switchboardId: String) async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.DELETE, path("v2", "apps", appId, "switchboards", switchboardId)))
    }
}
