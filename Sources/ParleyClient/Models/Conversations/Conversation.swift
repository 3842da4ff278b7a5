import Foundation

/// A conversation between the business and one user (`personal`) or several (`sdkGroup`).
public struct Conversation: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var type: ConversationType
    public var metadata: JSONObject?
    /// The switchboard integration in control; absent when none is.
    public var activeSwitchboardIntegration: SwitchboardIntegrationSummary?
    /// The switchboard integration offered control; absent when none is.
    public var pendingSwitchboardIntegration: SwitchboardIntegrationSummary?
    /// True for a user's first personal conversation (which cannot be deleted).
    public var isDefault: Bool?
    public var displayName: String?
    public var description: String?
    public var iconUrl: String?
    /// When the business last marked the conversation read.
    public var businessLastRead: Date?
    /// The last message, or the creation time.
    public var lastUpdatedAt: Date?
    public var createdAt: Date?
}
