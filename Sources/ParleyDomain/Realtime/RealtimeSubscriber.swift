import Synchronization

/// One realtime connection as the hub sees it: the frames waiting for it, what it may be shown,
/// and how far it has got in each conversation it follows.
///
/// Frames wait in a bounded queue: a subscriber that falls `bufferLimit` frames behind (a stalled
/// socket) is ended rather than grown without bound; its client reconnects and resumes from the
/// last number it saw, so ending it loses nothing.
public final class RealtimeSubscriber: Sendable {
    /// The event types this subscriber is shown (nil: all).
    public let shownTypes: Set<EventType>?
    public let frames: AsyncStream<RealtimeFrame>
    private let continuation: AsyncStream<RealtimeFrame>.Continuation
    /// Per conversation, the highest sequence number handed over (shown or skipped).
    private let reached = Mutex<[ResourceID: Int64]>([:])

    public init(shownTypes: Set<EventType>?, bufferLimit: Int = 1_000) {
        self.shownTypes = shownTypes
        (frames, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingOldest(bufferLimit))
    }

    /// Ends the frames (the socket closes).
    public func finish() {
        continuation.finish()
    }

    func send(_ frame: RealtimeFrame) {
        if case .dropped = continuation.yield(frame) { continuation.finish() }
    }

    /// Hands over the conversation's events above what the subscriber has reached; those of types
    /// it is not shown only move its mark.
    func deliver(_ events: [SequencedEvent], conversationId: ResourceID) {
        let from = reached.withLock { marks in
            let from = marks[conversationId] ?? 0
            if let last = events.last?.seq, last > from { marks[conversationId] = last }
            return from
        }
        for event in events where event.seq > from {
            if shownTypes?.contains(event.event.type) ?? true {
                send(.event(conversationId: conversationId, event))
            }
        }
    }

    /// Starts following a conversation from `seq`; returns the mark now held.
    func start(_ conversationId: ResourceID, at seq: Int64) -> Int64 {
        reached.withLock { marks in
            let mark = max(marks[conversationId] ?? 0, seq)
            marks[conversationId] = mark
            return mark
        }
    }

    func stop(_ conversationId: ResourceID) {
        _ = reached.withLock { $0.removeValue(forKey: conversationId) }
    }
}
