/// The switchboard's integrations: CreateSwitchboardIntegration, ListSwitchboardIntegrations,
/// UpdateSwitchboardIntegration, DeleteSwitchboardIntegration.
public struct SwitchboardIntegrationsAPI: Sendable {
    let transport: Transport

    /// Puts an integration on the switchboard (CreateSwitchboardIntegration).
    /// - Throws: ``SunshineClientError``: `400 too_many_switchboard_integrations` past 10,
    ///   `400 bad_request`, `404 switchboard_not_found`.
    public func create(appId: String, switchboardId: String, _ body: SwitchboardIntegrationCreate) async throws(SunshineClientError)
        -> SwitchboardIntegration
    {
        try await transport.value(
            APIRequest(.POST, path("v2", "apps", appId, "switchboards", switchboardId, "switchboardIntegrations")).json(body),
            at: "switchboardIntegration")
    }

    /// The switchboard's integrations (ListSwitchboardIntegrations; not paginated).
    /// - Throws: ``SunshineClientError``: `404 switchboard_not_found`.
    public func list(appId: String, switchboardId: String) async throws(SunshineClientError) -> [SwitchboardIntegration] {
        try await transport.value(
            APIRequest(.GET, path("v2", "apps", appId, "switchboards", switchboardId, "switchboardIntegrations")), at: "switchboardIntegrations")
    }

    /// Changes a switchboard integration (UpdateSwitchboardIntegration).
    /// - Throws: ``SunshineClientError``: `404 switchboard_integration_not_found`, `400 bad_request`.
    public func update(appId: String, switchboardId: String, switchboardIntegrationId: String, _ body: SwitchboardIntegrationUpdate)
        async throws(SunshineClientError) -> SwitchboardIntegration
    {
        try await transport.value(
            APIRequest(.PATCH, path("v2", "apps", appId, "switchboards", switchboardId, "switchboardIntegrations", switchboardIntegrationId))
                .json(body), at: "switchboardIntegration")
    }

    /// Takes an integration off the switchboard (DeleteSwitchboardIntegration).
    /// - Throws: ``SunshineClientError``: `404 switchboard_integration_not_found`, `400` for the default
    ///   or one another integration names as next.
    public func delete(appId: String, switchboardId: String, switchboardIntegrationId: String) async throws(SunshineClientError) {
        try await transport.empty(
            APIRequest(.DELETE, path("v2", "apps", appId, "switchboards", switchboardId, "switchboardIntegrations", switchboardIntegrationId)))
    }
}
