/// What one retention pass removed.
public struct RetentionSweep: Hashable, Sendable {
    public var events = 0
    public var deliveries = 0
    public var channelJobs = 0
    public var idempotencyKeys = 0
    /// Conversations whose messages were deleted for their app's `conversationRetentionSeconds`.
    public var clearedConversations = 0

    public init() {}
}
