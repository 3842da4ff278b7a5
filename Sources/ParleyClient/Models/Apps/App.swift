import Foundation

/// An app: the container of users, conversations, integrations and keys.
/// Returned by CreateApp, GetApp, UpdateApp, ListApps and GetTokenInfo.
public struct App: Codable, Sendable, Hashable, Identifiable {
    /// The app's id (24 hex digits).
    public var id: String
    public var displayName: String?
    public var settings: AppSettings?
    /// Flat metadata: strings, numbers and booleans, at most 4 KB.
    public var metadata: JSONObject?
    /// The app's subdomain (GetApp and GetTokenInfo, on Sunshine Conversations; Parley has none).
    public var subdomain: String?
}
