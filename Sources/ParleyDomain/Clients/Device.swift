/// A browser or app through which a user's `sdk` client talks: what ListDevices and GetDevice
/// show. The web messenger records one per browser.
public struct Device: Hashable, Sendable {
    public enum Kind: String, Sendable {
        case android, ios, web
    }

    public enum Status: String, Sendable {
        case active, inactive
    }

    public var id: ResourceID
    public var clientId: ResourceID
    public var integrationId: ResourceID
    /// The id the SDK made up for itself (the messenger keeps it in the browser's storage).
    public var guid: String
    public var type: Kind
    public var status: Status
    /// What the SDK tells of its platform (page, language, user agent): a flat object.
    public var info: JSONValue?
    public var lastSeen: Timestamp

    public init(
        id: ResourceID, clientId: ResourceID, integrationId: ResourceID, guid: String, type: Kind, status: Status = .active, info: JSONValue?,
        lastSeen: Timestamp
    ) {
        self.id = id
        self.clientId = clientId
        self.integrationId = integrationId
        self.guid = guid
        self.type = type
        self.status = status
        self.info = info
        self.lastSeen = lastSeen
    }
}
