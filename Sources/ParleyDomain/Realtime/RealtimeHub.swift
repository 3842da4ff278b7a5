import Synchronization

/// Fans committed conversation events out to realtime subscribers — the messenger's and the
/// inbox's sockets — each conversation in sequence order, with replay from any number a client
/// last saw (docs/MESSENGER.md). It hears of commits from the store's `EventFeed` and reads the
/// events themselves back from the store: one read per conversation per burst, whatever the number
/// of sockets, and every socket sees what a webhook sees.
public final class RealtimeHub: Sendable {
    private struct Followed {
        var stream: ConversationStream
        var subscribers: Int
    }

    private struct State {
        var conversations: [ResourceID: Followed] = [:]
        /// The inbox's sockets, by the app they watch.
        var watchers: [ResourceID: [ObjectIdentifier: RealtimeSubscriber]] = [:]
    }

    private let store: any EventStore
    private let pageSize: Int
    private let state = Mutex(State())

    public init(store: any EventStore, pageSize: Int = 200) {
        self.store = store
        self.pageSize = pageSize
    }

    /// Follows `feed` until it ends or the task is cancelled.
    public func run(feed: any EventFeed) async {
        for await update in feed.updates() {
            switch update {
            case .notices(let notices):
                let (streams, watchers) = state.withLock { state in
                    (Set(notices.map(\.conversationId)).compactMap { state.conversations[$0]?.stream },
                     notices.map { notice in (notice, state.watchers[notice.appId].map { Array($0.values) } ?? []) })
                }
                for stream in streams { stream.send(.advance) }
                for (notice, subscribers) in watchers {
                    for subscriber in subscribers { subscriber.send(.notice(notice)) }
                }
            case .resync:
                for stream in state.withLock({ $0.conversations.values.map(\.stream) }) { stream.send(.advance) }
            }
        }
    }

    /// Starts following a conversation: the events above `after` first (none without it), then a
    /// `subscribed` frame, then live events.
    public func subscribe(_ subscriber: RealtimeSubscriber, to conversationId: ResourceID, after: Int64?) {
        let stream = state.withLock { state in
            var followed = state.conversations[conversationId]
                ?? Followed(stream: ConversationStream(conversationId: conversationId, store: store, pageSize: pageSize), subscribers: 0)
            followed.subscribers += 1
            state.conversations[conversationId] = followed
            return followed.stream
        }
        stream.send(.join(subscriber, after: after))
    }

    public func unsubscribe(_ subscriber: RealtimeSubscriber, from conversationId: ResourceID) {
        state.withLock { state in
            guard var followed = state.conversations[conversationId] else { return }
            followed.stream.send(.leave(subscriber))
            followed.subscribers -= 1
            if followed.subscribers <= 0 {
                followed.stream.close()
                state.conversations[conversationId] = nil
            } else {
                state.conversations[conversationId] = followed
            }
        }
    }

    /// A `notice` for every event of the app's conversations, live only.
    public func watch(_ subscriber: RealtimeSubscriber, app appId: ResourceID) {
        state.withLock { $0.watchers[appId, default: [:]][ObjectIdentifier(subscriber)] = subscriber }
    }

    public func unwatch(_ subscriber: RealtimeSubscriber, app appId: ResourceID) {
        state.withLock { state in
            state.watchers[appId]?[ObjectIdentifier(subscriber)] = nil
            if state.watchers[appId]?.isEmpty == true { state.watchers[appId] = nil }
        }
    }

    /// Conversations followed now (for tests and metrics).
    public var followedConversations: Int { state.withLock { $0.conversations.count } }
}
