import ParleyDomain
import ParleyWebhooks
import Testing

@Suite("Retry policy")
struct RetryPolicyTests {
    let now = Timestamp(millisecondsSince1970: 1_000_000)

    @Test("Default schedule: 5 attempts, growing delays, all within 15 minutes whatever the jitter")
    func schedule() {
        let policy = RetryPolicy()
        for jitter in [0.0, 0.5, 1.0] {
            let delays = (1...4).map { policy.delayMilliseconds(afterAttempts: $0, jitter: jitter)! }
            #expect(delays == delays.sorted())
            #expect(delays.reduce(0, +) <= 15 * 60 * 1000)
            #expect(policy.delayMilliseconds(afterAttempts: 5, jitter: jitter) == nil)
        }
        #expect(policy.delayMilliseconds(afterAttempts: 1, jitter: 1) == 30_000)
        #expect(policy.delayMilliseconds(afterAttempts: 1, jitter: 0) == 15_000)
        #expect(policy.delayMilliseconds(afterAttempts: 4, jitter: 1) == 240_000)
    }

    @Test("2xx delivers; 400/401/403/404/406 are dead at once; 5xx and errors retry until the last attempt",
          arguments: [200, 202, 400, 401, 403, 404, 406, 408, 429, 500, 503])
    func outcomes(status: Int) {
        let policy = RetryPolicy(maxAttempts: 3, baseDelaySeconds: 1)
        let first = policy.outcome(attempts: 1, statusCode: status, error: nil, at: now, jitter: 1)
        switch status {
        case 200..<300:
            #expect(first.state == .delivered)
        case 400, 401, 403, 404, 406:
            #expect(first.state == .dead)
        default:
            #expect(first.state == .pending)
            #expect(first.nextAttemptAt == Timestamp(millisecondsSince1970: 1_001_000))
            #expect(policy.outcome(attempts: 3, statusCode: status, error: nil, at: now, jitter: 1).state == .dead)
        }
        #expect(first.statusCode == status)
    }

    @Test("No answer at all (timeout, refused) retries and keeps the error")
    func transportErrors() {
        let outcome = RetryPolicy().outcome(attempts: 2, statusCode: nil, error: "connection refused", at: now, jitter: 1)
        #expect(outcome.state == .pending)
        #expect(outcome.error == "connection refused")
        #expect(outcome.nextAttemptAt == Timestamp(millisecondsSince1970: 1_060_000))
    }
}
