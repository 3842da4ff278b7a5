import Synchronization

/// Conversations' identities, remembered from their first read, so that PostMessage finds its
/// conversation with a dictionary probe instead of a database read (≈ 5 % of a post's CPU,
/// BENCHMARKS.md "Round 7").
///
/// Why this cannot serve a wrong answer: an identity never changes while its conversation exists,
/// and ids are never reused. The one thing memory can get wrong is existence: a conversation
/// deleted (through this node, another node, or with its app) is still remembered. So everything
/// that relies on a remembered identity checks the conversation again where it writes
/// (`MessageStore.appendMessage` answers nil for a conversation that is gone), and forgets it then.
final class ConversationIdentities: Sendable {
    /// Bounds the memory: ≈ 200 bytes an entry. Past it everything is forgotten at once, which
    /// costs one database read per conversation afterwards, as every read did before.
    static let capacity = 10_000

    private let entries = Mutex<[ResourceID: ConversationIdentity]>([:])

    func identity(_ id: ResourceID) -> ConversationIdentity? {
        entries.withLock { $0[id] }
    }

    func remember(_ identity: ConversationIdentity) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[identity.id] = identity
        }
    }

    func forget(_ id: ResourceID) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }

    var count: Int {
        entries.withLock { $0.count }
    }
}
