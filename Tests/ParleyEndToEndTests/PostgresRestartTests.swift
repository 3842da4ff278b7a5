import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ParleyTestSupport
import Synchronization
import Testing

/// PostgreSQL restarted under load: requests fail fast with 503 in the API's envelope (never
/// hang), the node reconnects by itself, and every acknowledged message is there afterwards and
/// reaches the webhook.
///
/// Restarting the server would break every other test using it, so this runs only when
/// `PARLEY_TEST_POSTGRES_RESTART` holds the shell command that restarts it (`.ci/run` runs this
/// suite on its own, after the rest); otherwise it returns at once with a message.
@Suite("PostgreSQL restart under load", .serialized)
struct PostgresRestartTests {
    /// What the load has seen so far, shared by its workers.
    final class Load: Sendable {
        struct Outcome: Sendable {
            var status: Int
            var code: String?
            var messageId: String?
            var seconds: Double
            /// When the request was sent, in seconds since the load began.
            var sentAt: Double = 0
        }

        let stop = Atomic<Bool>(false)
        let outcomes = Mutex<[Outcome]>([])
    }

    /// Runs a shell command and waits for it, polling. Not Foundation's `Process`: on Linux it
    /// kept reporting the restart command as running long after it had exited (a restarted
    /// postmaster outlives it), so the test never moved on.
    static func shell(_ command: String) async throws -> Int32 {
        var pid: pid_t = 0
        let words: [String] = ["/bin/sh", "-c", command]
        var arguments: [UnsafeMutablePointer<CChar>?] = words.map { word in word.withCString { strdup($0) } } + [nil]
        defer { arguments.forEach { free($0) } }
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, &arguments, environ)
        guard spawned == 0 else { throw ProcessError("posix_spawn failed: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 { try await Task.sleep(for: .milliseconds(50)) }
        return (status >> 8) & 0xff
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static let restartCommand = ProcessInfo.processInfo.environment["PARLEY_TEST_POSTGRES_RESTART"]

    @Test(
        "pg_ctl restart while messages are posted: 503s come fast, service resumes, nothing acknowledged is lost",
        .enabled(
            if: restartCommand != nil && PostgresTestDatabase.serverURL != nil,
            "set PARLEY_TEST_POSTGRES_URL and PARLEY_TEST_POSTGRES_RESTART (a command restarting that server) to run"))
    func restartUnderLoad() async throws {
        let restart = try #require(Self.restartCommand)
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let database = try await PostgresTestDatabase.make()
        let (server, base) = try await ServerProcess.serve(databaseURL: database, environment: MultiNodeTests.environment)
        defer { server.signal(SIGKILL) }
        let fixture = try await WebhookDurabilityTests.provision(base, receiver: receiver, conversations: 4)

        let load = Load()
        let loadStarted = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    let url = base.appendingPathComponent("v2/apps/\(fixture.appId)/conversations/\(fixture.conversations[worker])/messages")
                    var index = 0
                    while !load.stop.load(ordering: .relaxed) {
                        let started = ContinuousClock.now
                        // A request that gets no answer at all (the client's 10 s deadline) is
                        // recorded as status 0, so the expectations below say what happened.
                        let response: (status: Int, body: [String: Any])
                        do {
                            response = try await HTTP.send(
                                "POST", url, basic: WebhookDurabilityTests.key,
                                json: #"{"author":{"type":"business"},"content":{"type":"text","text":"w\#(worker)-\#(index)"}}"#)
                        } catch {
                            response = (0, ["errors": [["code": "\(error)"]]])
                        }
                        let elapsed = ContinuousClock.now - started
                        let errors = response.body["errors"] as? [[String: Any]]
                        load.outcomes.withLock {
                            $0.append(Load.Outcome(
                                status: response.status, code: errors?.first?["code"] as? String,
                                messageId: ((response.body["messages"] as? [[String: Any]])?.first)?["id"] as? String,
                                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                                sentAt: Self.seconds(started - loadStarted)))
                        }
                        index += 1
                        // Steady load, bounded: about 40 requests a second from the four workers.
                        try await Task.sleep(for: .milliseconds(response.status == 503 ? 50 : 100))
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(2))
                let restartAt = Self.seconds(ContinuousClock.now - loadStarted)
                let status = try await Self.shell(restart + " </dev/null >/dev/null 2>&1")
                print("PostgresRestartTests: restart ran from \(restartAt) s to \(Self.seconds(ContinuousClock.now - loadStarted)) s")
                #expect(status == 0, "the restart command failed")
                // Load goes on until the node has answered normally for a while.
                try await Task.sleep(for: .seconds(4))
                print("PostgresRestartTests: restart command finished")
                load.stop.store(true, ordering: .relaxed)
            }
            try await group.waitForAll()
        }

        let all = load.outcomes.withLock { $0 }
        let acknowledged = all.compactMap { $0.status == 201 ? $0.messageId : nil }
        let failures = all.filter { $0.status != 201 }
        print("PostgresRestartTests: \(all.count) requests, \(acknowledged.count) acknowledged, \(failures.count) answered 503; slowest \(all.map(\.seconds).max() ?? 0) s")
        #expect(
            failures.allSatisfy { $0.status == 503 && $0.code == "service_unavailable" },
            "only 503 service_unavailable: \(failures.map { "\($0.status) \($0.code ?? "-") sent at \($0.sentAt) s, after \($0.seconds) s" })")
        #expect(!failures.isEmpty, "the restart was noticed (some requests answered 503)")
        #expect(all.allSatisfy { $0.seconds < 6 }, "no request hung")
        #expect(all.suffix(8).allSatisfy { $0.status == 201 }, "the node reconnected by itself")
        // Nothing acknowledged is lost: every 201 is in its conversation and reaches the webhook.
        var stored: Set<String> = []
        for conversation in fixture.conversations {
            stored.formUnion(try await MultiNodeTests.messages(base, fixture, conversation: conversation, size: 100))
        }
        #expect(stored.isSuperset(of: acknowledged), "\(Set(acknowledged).subtracting(stored).count) acknowledged messages are missing")
        try await receiver.wait(timeout: .seconds(60)) { Set($0.filter(\.accepted).compactMap(\.messageId)).isSuperset(of: acknowledged) }
    }
}
