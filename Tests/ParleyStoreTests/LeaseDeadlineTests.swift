@testable import ParleyPostgres
import Synchronization
import Testing

/// The PostgreSQL store's bound on waiting for a pooled connection (see `LeaseDeadline`).
@Suite("PostgreSQL lease deadline")
struct LeaseDeadlineTests {
    /// A wait that ignores cancellation, like a connection attempt the pool does not abandon.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

        func wait() async {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.open { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }

        /// Should run() wait for the body after all, this opens the gate so the test fails
        /// instead of hanging. Cancel it when the test ends.
        func openAfterHalfAMinute() -> Task<Void, Never> {
            Task {
                try? await Task.sleep(for: .seconds(30))
                self.open()
            }
        }

        func open() {
            let waiters = state.withLock { state in
                state.open = true
                defer { state.waiters = [] }
                return state.waiters
            }
            waiters.forEach { $0.resume() }
        }
    }

    /// Something the caller's body holds, to see when the body is let go.
    final class Token: Sendable {}

    @Test("An expired wait answers at once and lets go of the body; the abandoned lease then backs out unused")
    func expiredDoesNotWaitForTheLease() async throws {
        let gate = Gate()
        let fallback = gate.openAfterHalfAMinute()
        defer { fallback.cancel() }
        let leaseOutcome = Mutex<String?>(nil)
        weak var held: Token?
        do {
            let token = Token()
            held = token
            await #expect(throws: LeaseDeadline.Expired.self) {
                try await LeaseDeadline.run(timeout: .milliseconds(50), body: { (_: Void) in
                    withExtendedLifetime(token) { 1 }
                }, whenClosed: { _, _ in {} }, lease: { use in
                    await gate.wait()
                    do {
                        let value = try await use(())
                        leaseOutcome.withLock { $0 = "ran" }
                        return value
                    } catch {
                        leaseOutcome.withLock { $0 = "\(type(of: error))" }
                        throw error
                    }
                })
            }
        }
        #expect(leaseOutcome.withLock { $0 } == nil, "run() answered only after the lease ended")
        #expect(held == nil, "the body outlived the call")
        gate.open()
        for _ in 0..<200 where leaseOutcome.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        #expect(leaseOutcome.withLock { $0 } == "Expired", "a connection that arrives after the deadline is not used")
    }

    @Test("Once a connection is held the body runs to its end, however long it takes")
    func enteredRunsToTheEnd() async throws {
        let value = try await LeaseDeadline.run(timeout: .milliseconds(20), body: { (_: Void) in
            try await Task.sleep(for: .milliseconds(200))
            return 42
        }, whenClosed: { _, _ in {} }, lease: { use in try await use(()) })
        #expect(value == 42)
    }

    @Test("An error while waiting is the caller's error")
    func errorsPassThrough() async {
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await LeaseDeadline.run(timeout: .seconds(10), body: { (_: Void) in 1 }, whenClosed: { _, _ in {} }, lease: { _ in throw Refused() })
        }
    }

    @Test("A statement left unanswered on a connection that closed: the caller gets ConnectionClosed, not a hang")
    func closedConnectionEndsTheWait() async throws {
        let gate = Gate()
        let fallback = gate.openAfterHalfAMinute()
        defer { fallback.cancel() }
        // The "connection" closes 50 ms after the body starts; the body itself never answers.
        let bodyEnded = Mutex(false)
        await #expect(throws: LeaseDeadline.ConnectionClosed.self) {
            try await LeaseDeadline.run(timeout: .seconds(10), body: { (_: Void) -> Int in
                await gate.wait()
                bodyEnded.withLock { $0 = true }
                return 1
            }, whenClosed: { _, callback in
                Task {
                    try? await Task.sleep(for: .milliseconds(50))
                    callback()
                }
                return {}
            }, lease: { use in try await use(()) })
        }
        #expect(bodyEnded.withLock { $0 } == false, "answered only after the body ended")
        gate.open()
    }

    @Test("A connection that closes after the body answered changes nothing")
    func closeAfterAnswer() async throws {
        let closeLater = Mutex<(@Sendable () -> Void)?>(nil)
        let stopped = Mutex(false)
        let value = try await LeaseDeadline.run(timeout: .seconds(10), body: { (_: Void) in 7 }, whenClosed: { _, callback in
            closeLater.withLock { $0 = callback }
            return { stopped.withLock { $0 = true } }
        }, lease: { use in try await use(()) })
        #expect(value == 7)
        #expect(stopped.withLock { $0 }, "the watch is ended once the body has answered")
        closeLater.withLock { $0 }?()
    }
}
