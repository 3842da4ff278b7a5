/// A user's SDK devices: ListDevices, GetDevice.
public struct DevicesAPI: Sendable {
    let transport: Transport

    /// The user's devices, most recently seen first (ListDevices; not paginated).
    /// - Throws: ``SunshineClientError``: `404 user_not_found`.
    public func list(appId: String, user: String, brandId: String? = nil) async throws(SunshineClientError) -> [Device] {
        try await transport.value(APIRequest(.GET, path("v2", "apps", appId, "users", user, "devices"), query: brand(brandId)), at: "devices")
    }

    /// One device (GetDevice, `GET …/users/{userIdOrExternalId}/devices/{deviceId}`).
    /// - Throws: ``SunshineClientError``: `404 device_not_found`.
    public func get(appId: String, user: String, deviceId: String, brandId: String? = nil) async throws(SunshineClientError) -> Device {
        try await transport.value(
            APIRequest(.GET, path("v2", "apps", appId, "users", user, "devices", deviceId), query: brand(brandId)), at: "device")
    }
}
