/// One conversation's events as the hub follows them: every change to its subscribers, and every
/// read of the store, happen one after another on one task, so a subscriber joining while events
/// commit receives each exactly once — by replay or live, never both, never neither.
final class ConversationStream: Sendable {
    enum Command: Sendable {
        case join(RealtimeSubscriber, after: Int64?)
        case leave(RealtimeSubscriber)
        /// Events may have committed: read what follows the cursor.
        case advance
    }

    let conversationId: ResourceID
    private let commands: AsyncStream<Command>.Continuation

    init(conversationId: ResourceID, store: any EventStore, pageSize: Int) {
        self.conversationId = conversationId
        let (stream, continuation) = AsyncStream<Command>.makeStream()
        self.commands = continuation
        Task { await Self.follow(conversationId, commands: stream, store: store, pageSize: pageSize) }
    }

    func send(_ command: Command) {
        commands.yield(command)
    }

    /// No more commands: the task ends once it has run those already sent.
    func close() {
        commands.finish()
    }

    private static func follow(_ conversationId: ResourceID, commands: AsyncStream<Command>, store: any EventStore, pageSize: Int) async {
        var subscribers: [ObjectIdentifier: RealtimeSubscriber] = [:]
        // The highest number handed to the subscribers; nil until first read.
        var cursor: Int64?

        /// Reads the events above `from` (up to `through`, if given) a page at a time, handing each
        /// page to `deliver`; returns the highest number handed over (or `from`).
        func read(after from: Int64, through: Int64?, _ deliver: ([SequencedEvent]) -> Void) async throws -> Int64 {
            var last = from
            while through.map({ last < $0 }) ?? true {
                let page = try await store.conversationEvents(conversationId: conversationId, after: last, limit: pageSize)
                let kept = through.map { bound in page.filter { $0.seq <= bound } } ?? page
                if let newest = kept.last?.seq {
                    deliver(kept)
                    last = newest
                }
                if page.count < pageSize || kept.count < page.count { break }
            }
            return last
        }

        for await command in commands {
            do {
                if cursor == nil { cursor = try await store.latestConversationSeq(conversationId: conversationId) }
                let current = cursor ?? 0
                switch command {
                case .join(let subscriber, let after):
                    if let after {
                        _ = subscriber.start(conversationId, at: after)
                        if after < current {
                            _ = try await read(after: after, through: current) { subscriber.deliver($0, conversationId: conversationId) }
                        }
                    }
                    let mark = subscriber.start(conversationId, at: current)
                    subscriber.send(.subscribed(conversationId: conversationId, seq: mark))
                    subscribers[ObjectIdentifier(subscriber)] = subscriber
                case .leave(let subscriber):
                    subscribers[ObjectIdentifier(subscriber)] = nil
                    subscriber.stop(conversationId)
                case .advance:
                    let listeners = subscribers.values
                    cursor = try await read(after: current, through: nil) { events in
                        for subscriber in listeners { subscriber.deliver(events, conversationId: conversationId) }
                    }
                }
            } catch {
                // The store is unreachable: end the subscribers rather than let them miss events
                // silently; their clients reconnect and resume from what they saw.
                for subscriber in subscribers.values { subscriber.finish() }
                subscribers = [:]
                cursor = nil
                if case .join(let subscriber, _) = command { subscriber.finish() }
            }
        }
    }
}
