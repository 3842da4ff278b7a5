/// How long the server keeps what only it needs (docs/DECISIONS.md "Retention"). A period of
/// nil keeps rows for ever. Apps choose their own message retention (`conversationRetentionSeconds`).
public struct RetentionPolicy: Hashable, Sendable {
    /// Webhook events (the outbox), with what remains of their deliveries: the realtime resume
    /// window and the redelivery window of dead letters.
    public var eventDays: Int?
    /// Deliveries that succeeded: one row per event and webhook, of no use once delivered.
    public var deliveredDays: Int?
    /// Finished channel jobs (sent or given up): a provider's late delivery report, or a tap on a
    /// postback button, finds its message through them.
    public var channelJobDays: Int?

    public static let defaultEventDays = 30
    public static let defaultDeliveredDays = 7
    public static let defaultChannelJobDays = 30

    public init(
        eventDays: Int? = Self.defaultEventDays, deliveredDays: Int? = Self.defaultDeliveredDays, channelJobDays: Int? = Self.defaultChannelJobDays
    ) {
        self.eventDays = eventDays
        self.deliveredDays = deliveredDays
        self.channelJobDays = channelJobDays
    }
}
