/// CreateClient's body: link a user to a channel and attach the new client to a conversation.
public struct ClientCreate: Codable, Sendable, Hashable {
    /// Which channel identity to link (`.mailgun(…)`, `.twilio(…)`…).
    public var matchCriteria: MatchCriteria
    /// How the link is confirmed, and the message that asks.
    public var confirmation: ClientConfirmation
    /// The conversation the client is attached to.
    public var target: ClientTarget

    /// Makes one from its fields; those left nil are not sent.
    public init(matchCriteria: MatchCriteria, confirmation: ClientConfirmation, target: ClientTarget) {
        self.matchCriteria = matchCriteria
        self.confirmation = confirmation
        self.target = target
    }
}
