import Foundation

/// A user's membership of a conversation.
public struct Participant: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var userId: String?
    public var userExternalId: String?
    /// Messages the user has not read.
    public var unreadCount: Int?
    /// The user's clients in this conversation, most recent first; the first is the primary.
    public var clientAssociations: [ClientAssociation]?
    public var lastRead: Date?
}
