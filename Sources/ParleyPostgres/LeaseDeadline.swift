import Synchronization

/// Bounds how long an operation may wait for a pooled connection, and only that.
///
/// postgres-nio's pool queues a lease for as long as it keeps failing to connect (its own circuit
/// breaker trips only after a minute), so a request would hang while PostgreSQL restarts. Racing
/// the whole operation against a timer would be wrong the other way: once a connection is leased
/// the statements are on the wire, and giving up then could answer 503 for a write that commits.
/// So the timer only wins while the operation is still waiting; once it holds a connection, it
/// runs to its end.
///
/// The lease and the timer are unstructured tasks, not a task group: a group waits for all of its
/// children before it returns, so an expired caller would still wait for the abandoned lease (a
/// connection attempt to a server that is down can take the pool's whole connect timeout). The
/// caller is answered the moment the deadline passes. The abandoned lease ends on its own; if it
/// gets a connection after all, the body is no longer there to run and the connection goes back
/// unused.
///
/// One more way out, once the body runs: its connection closing. postgres-nio can leave a
/// statement unanswered forever when PostgreSQL shuts down while it is on the wire (the restart
/// test caught a COMMIT and an advisory-lock wait doing so, on connections that had closed). A
/// statement on a closed connection can never complete, so the caller is answered then, with the
/// outcome unknown, as for any connection lost mid-statement (503). The stuck body is cancelled
/// and left to end whenever it does; it holds nothing the caller still needs.
enum LeaseDeadline {
    /// Thrown when no connection came within the timeout.
    struct Expired: Error {}

    /// Thrown when the connection closed while the body was still running on it.
    struct ConnectionClosed: Error {}

    /// `lease` obtains a connection and hands it to `use`, which runs `body` on it, or throws
    /// `Expired` when the deadline has passed. `whenClosed` calls its callback if the connection
    /// closes (at once if it already has) until the function it returns is called.
    static func run<Connection, T: Sendable>(
        timeout: Duration, body: @escaping @Sendable (Connection) async throws -> T,
        whenClosed: @escaping @Sendable (Connection, _ callback: @escaping @Sendable () -> Void) -> (@Sendable () -> Void),
        lease: @escaping @Sendable (_ use: @escaping @Sendable (Connection) async throws -> T) async throws -> T
    ) async throws -> T {
        let race = Race(body: body)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(continuation, timeout: timeout, whenClosed: whenClosed, lease: lease)
            }
        } onCancel: {
            race.cancel()
        }
    }
}

/// One caller's lease against its deadline: whichever ends first answers the caller, once.
private final class Race<Connection, T: Sendable>: Sendable {
    private struct Slots {
        /// The caller's work, until a connection claims it or the deadline drops it.
        var body: (@Sendable (Connection) async throws -> T)?
        var claimed = false
        var continuation: CheckedContinuation<T, any Error>?
        var work: Task<Void, Never>?
        var timer: Task<Void, Never>?
        var cancelled = false
    }

    private let slots: Mutex<Slots>

    init(body: @escaping @Sendable (Connection) async throws -> T) {
        slots = Mutex(Slots(body: body))
    }

    func start(
        _ continuation: CheckedContinuation<T, any Error>, timeout: Duration,
        whenClosed: @escaping @Sendable (Connection, _ callback: @escaping @Sendable () -> Void) -> (@Sendable () -> Void),
        lease: @escaping @Sendable (_ use: @escaping @Sendable (Connection) async throws -> T) async throws -> T
    ) {
        slots.withLock { $0.continuation = continuation }
        let work = Task {
            do {
                let value = try await lease { connection in
                    guard let body = self.claim() else { throw LeaseDeadline.Expired() }
                    let stopWatching = whenClosed(connection) { self.finish(.failure(LeaseDeadline.ConnectionClosed())) }
                    defer { stopWatching() }
                    return try await body(connection)
                }
                self.finish(.success(value))
            } catch {
                self.finish(.failure(error))
            }
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            if self.expire() { self.finish(.failure(LeaseDeadline.Expired())) }
        }
        let cancelledAlready = slots.withLock { slots in
            slots.work = work
            slots.timer = timer
            return slots.cancelled
        }
        if cancelledAlready { cancel() }
    }

    /// A connection arrived: the body, unless the deadline took it first.
    private func claim() -> (@Sendable (Connection) async throws -> T)? {
        slots.withLock { slots in
            defer { slots.body = nil }
            guard let body = slots.body else { return nil }
            slots.claimed = true
            return body
        }
    }

    /// The deadline passed: true (and the body dropped) if no connection had claimed it yet.
    private func expire() -> Bool {
        slots.withLock { slots in
            guard !slots.claimed else { return false }
            slots.body = nil
            return true
        }
    }

    private func finish(_ result: Result<T, any Error>) {
        let (continuation, work, timer) = slots.withLock { slots in
            defer { slots.continuation = nil }
            if slots.continuation != nil, !slots.claimed { slots.body = nil }
            return (slots.continuation, slots.work, slots.timer)
        }
        guard let continuation else { return }
        timer?.cancel()
        if case .failure(let error) = result, error is LeaseDeadline.Expired || error is LeaseDeadline.ConnectionClosed { work?.cancel() }
        continuation.resume(with: result)
    }

    /// The caller was cancelled: so is its lease, as a child task would be.
    func cancel() {
        let (work, timer) = slots.withLock { slots in
            slots.cancelled = true
            return (slots.work, slots.timer)
        }
        work?.cancel()
        timer?.cancel()
    }
}
