import Foundation

/// A device of an `sdk` client: a browser running the web messenger, a phone running an SDK.
public struct Device: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var type: DeviceType?
    /// The SDK-generated identifier of the installation.
    public var guid: String?
    public var clientId: String?
    public var status: DeviceStatus?
    public var integrationId: String?
    public var lastSeen: Date?
    public var pushNotificationToken: String?
    public var info: JSONObject?
    public var appVersion: String?
}
