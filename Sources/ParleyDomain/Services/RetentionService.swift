/// Deletes what has outlived its use (docs/DECISIONS.md "Retention"): old webhook events and
/// deliveries, finished channel jobs, expired idempotency keys, and the messages of conversations
/// inactive for longer than their app's `conversationRetentionSeconds`. `RetentionJanitor` runs a
/// sweep every hour on every node; two nodes sweeping at once delete each row once.
public struct RetentionService: Sendable {
    /// Rows deleted per transaction.
    public static let batchSize = 1000

    private let store: any RetentionStore & AppStore & IdempotencyStore
    private let policy: RetentionPolicy
    private let now: @Sendable () -> Timestamp

    public init(store: any RetentionStore & AppStore & IdempotencyStore, policy: RetentionPolicy, now: @escaping @Sendable () -> Timestamp = { .now() }) {
        self.store = store
        self.policy = policy
        self.now = now
    }

    public func sweep() async throws -> RetentionSweep {
        let now = now()
        func cutoff(days: Int) -> Timestamp {
            Timestamp(millisecondsSince1970: now.millisecondsSince1970 - Int64(days) * 86_400_000)
        }
        var sweep = RetentionSweep()
        // Delivered rows first: an event is only deleted once no delivery of it is pending.
        if let days = policy.deliveredDays {
            sweep.deliveries = try await Self.drain { try await store.pruneDeliveredDeliveries(before: cutoff(days: days), limit: $0) }
        }
        if let days = policy.eventDays {
            sweep.events = try await Self.drain { try await store.pruneEvents(createdBefore: cutoff(days: days), limit: $0) }
        }
        if let days = policy.channelJobDays {
            sweep.channelJobs = try await Self.drain { try await store.pruneChannelJobs(finishedBefore: cutoff(days: days), limit: $0) }
        }
        sweep.idempotencyKeys = try await store.pruneIdempotencyKeys(
            claimedBefore: Timestamp(millisecondsSince1970: now.millisecondsSince1970 - IdempotencyService.windowMilliseconds))
        var page = PageRequest(size: PageRequest.sizeRange.upperBound)
        while true {
            let apps = try await store.apps(page: page)
            for app in apps.items {
                // 0 (or none) keeps messages; a period reaching back before 1970 keeps them too.
                guard let seconds = app.settings.conversationRetentionSeconds, seconds > 0 else { continue }
                let (milliseconds, overflow) = Int64(clamping: seconds).multipliedReportingOverflow(by: 1000)
                guard !overflow, milliseconds < now.millisecondsSince1970 else { continue }
                let before = Timestamp(millisecondsSince1970: now.millisecondsSince1970 - milliseconds)
                sweep.clearedConversations += try await Self.drain {
                    try await store.clearInactiveConversations(appId: app.id, inactiveBefore: before, limit: $0)
                }
            }
            guard apps.hasNext, let last = apps.items.last else { break }
            page.cursor = .after(last.id)
        }
        return sweep
    }

    /// Runs `batch` until it deletes fewer than a full batch; returns the total.
    private static func drain(_ batch: (Int) async throws -> Int) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await batch(batchSize)
            total += deleted
            guard deleted == batchSize, !Task.isCancelled else { return total }
        }
    }
}
