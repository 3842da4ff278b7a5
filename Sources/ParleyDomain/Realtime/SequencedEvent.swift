/// An event of a conversation with its sequence number: 1, 2, 3 … in the order the conversation's
/// events committed. A client resumes from the last number it saw (docs/MESSENGER.md).
public struct SequencedEvent: Hashable, Sendable {
    public var seq: Int64
    public var event: RecordedEvent

    public init(seq: Int64, event: RecordedEvent) {
        self.seq = seq
        self.event = event
    }
}
