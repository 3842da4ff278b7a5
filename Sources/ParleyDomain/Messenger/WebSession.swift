/// Who a web messenger's session speaks for: signed into a token by the HTTP layer, checked
/// against the store on every use (`MessengerService.resume`), so deleting the user, the client
/// or the device ends it.
public struct WebSession: Hashable, Sendable {
    public var appId: ResourceID
    public var integrationId: ResourceID
    public var userId: ResourceID
    public var clientId: ResourceID
    public var deviceId: ResourceID

    public init(appId: ResourceID, integrationId: ResourceID, userId: ResourceID, clientId: ResourceID, deviceId: ResourceID) {
        self.appId = appId
        self.integrationId = integrationId
        self.userId = userId
        self.clientId = clientId
        self.deviceId = deviceId
    }
}

/// A session with what it names, as the messenger is told at start.
public struct MessengerSession: Sendable {
    public var session: WebSession
    public var user: User
    public var client: Client
    public var device: Device
}
