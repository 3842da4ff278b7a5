/// A user's word about receiving messages on a channel at all, as the channel reads it (SMS's
/// STOP and START keywords): it blocks or unblocks their clients on that address.
public enum ChannelConsent: Hashable, Sendable {
    /// The user unsubscribed: their clients on the address become `blocked` and receive nothing.
    case optOut
    /// The user subscribed again: their blocked clients on the address become `active`.
    case optIn
}
