import Foundation
import ParleyTestSupport
import Testing

/// Clients that connect and then send nothing, half a request line or half a head, or idle on a
/// kept-alive connection: each is closed on time, never holds a descriptor for ever, and a
/// legitimate client keeps being served. Real processes, real sockets.
@Suite("Slow and idle clients", .serialized)
struct SlowClientTests {
    static let limits = [
        "PARLEY_HEADER_TIMEOUT_SECONDS": "1", "PARLEY_IDLE_TIMEOUT_SECONDS": "2", "PARLEY_MAX_CONNECTIONS": "20",
    ]

    static func serve(_ environment: [String: String] = limits, launcher: [String] = []) async throws -> (ServerProcess, URL, Int) {
        let database = Scratch.directory("slow").appendingPathComponent("parley.sqlite").path
        let (server, base) = try await ServerProcess.serve(database: database, environment: environment, launcher: launcher)
        return (server, base, try #require(base.port))
    }

    static func seconds(_ duration: Duration?) -> Double? {
        duration.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
    }

    @Test("Connections that send nothing, half a request line or half a head are closed after the header timeout; others are served meanwhile")
    func stalledHeads() async throws {
        let (server, base, port) = try await Self.serve()
        defer { server.signal(SIGKILL) }
        let silent = try await RawConnection.open(port: port)
        let halfLine = try await RawConnection.open(port: port)
        try await halfLine.send("GET /v2/ap")
        let halfHead = try await RawConnection.open(port: port)
        try await halfHead.send("GET /healthz HTTP/1.1\r\nHost: parley\r\nX-Slow: ")
        // A byte every 300 ms does not move the deadline: it runs from the head's first byte.
        let trickle = try await RawConnection.open(port: port)
        Task {
            for byte in "GET /healthz HTTP/1.1\r\nHost: parley\r\n".map(String.init) {
                guard try await trickle.send(byte) else { return }
                try await Task.sleep(for: .milliseconds(300))
            }
        }
        // While they stall, a legitimate client is served.
        #expect(try await HTTP.send("GET", base.appendingPathComponent("healthz")).status == 200)
        for (name, connection) in [("silent", silent), ("half a line", halfLine), ("half a head", halfHead), ("trickle", trickle)] {
            // The upper bound leaves room for a loaded CI machine (the test runs beside the fuzz gate;
            // 6 s was once exceeded) and still tells the header deadline from a moving one: the
            // trickle lasts 11 s.
            let closed = Self.seconds(try await connection.readUntilClosed(timeout: .seconds(10)).closedAfter)
            let after = try #require(closed, "\(name): still open after 10 s")
            #expect(after >= 0.9 && after < 9, "\(name): closed after \(after) s")
        }
        #expect(try await HTTP.send("GET", base.appendingPathComponent("healthz")).status == 200)
    }

    @Test("A kept-alive connection is closed after the idle timeout; a request body that comes after the header timeout is still read")
    func idleAndSlowBody() async throws {
        // A 5 s idle timeout: the test's 1.2 s pause must fall well inside it even when the whole
        // suite on two cores delays the test's wake-up (a 2 s one was missed in a clean-clone run).
        let (server, _, port) = try await Self.serve(Self.limits.merging(["PARLEY_IDLE_TIMEOUT_SECONDS": "5"]) { $1 })
        defer { server.signal(SIGKILL) }
        // The server's 1 s header deadline starts when the connection is accepted: a test process
        // stalled longer than that between connecting and sending (two cores shared by the whole
        // suite; stalls of 10 s and more were seen) finds it closed, unanswered. That is the
        // header timeout working, so such a connection is opened again, up to three times.
        var kept = try await RawConnection.open(port: port)
        var first = ""
        for attempt in 1...3 {
            try await kept.send("GET /healthz HTTP/1.1\r\nHost: parley\r\n\r\n")
            first = try await kept.read(until: "\r\n\r\n", timeout: .seconds(5))
            guard first.isEmpty, attempt < 3 else { break }
            kept = try await RawConnection.open(port: port)
        }
        #expect(first.hasPrefix("HTTP/1.1 200"), "\(first)")
        // Still open within the idle timeout: a second request on it is served.
        try await Task.sleep(for: .milliseconds(1200))
        try await kept.send("GET /healthz HTTP/1.1\r\nHost: parley\r\n\r\n")
        #expect(try await kept.read(until: "\r\n\r\n", timeout: .seconds(5)).hasPrefix("HTTP/1.1 200"))
        let idle = ContinuousClock.now
        let closed = try await kept.readUntilClosed(timeout: .seconds(15))
        #expect(closed.closedAfter != nil, "a kept-alive connection stayed open past the idle timeout")
        // Measured from when the test read its last answer, which a loaded machine delays past the
        // moment the server wrote it: about the idle timeout (5 s), and surely not at once.
        let sinceIdle = Self.seconds(ContinuousClock.now - idle) ?? 0
        #expect(sinceIdle >= 1 && sinceIdle < 14, "closed \(sinceIdle) s after its last answer")

        let slowBody = try await RawConnection.open(port: port)
        let body = #"{"displayName": "Slow"}"#
        try await slowBody.send("POST /v2/apps HTTP/1.1\r\nHost: parley\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
        try await Task.sleep(for: .milliseconds(1500))  // past the header timeout, within the idle timeout
        #expect(try await slowBody.send(body))
        let answer = try await slowBody.read(until: "\r\n\r\n", timeout: .seconds(5))
        // No credentials: 401, but answered, not cut off.
        #expect(answer.hasPrefix("HTTP/1.1 401"), "\(answer)")
    }

    @Test("Beyond PARLEY_MAX_CONNECTIONS connections are closed at once with a log line; when stalled ones time out, clients are served again")
    func connectionCap() async throws {
        // A 6 s header timeout: on a loaded machine the server may take seconds to accept all 25
        // and to close the refused ones (over 2 s was seen), and none of the first may time out
        // before the last is counted.
        let (server, base, port) = try await Self.serve(Self.limits.merging(["PARLEY_HEADER_TIMEOUT_SECONDS": "6"]) { $1 })
        defer { server.signal(SIGKILL) }
        var stalled: [RawConnection] = []
        for _ in 0..<25 { stalled.append(try await RawConnection.open(port: port)) }
        let outcomes = try await withThrowingTaskGroup(of: Double?.self) { group in
            for connection in stalled { group.addTask { Self.seconds(try await connection.readUntilClosed(timeout: .seconds(16)).closedAfter) } }
            return try await group.reduce(into: [Double?]()) { $0.append($1) }
        }
        let closedTimes = outcomes.compactMap { $0 }
        #expect(closedTimes.count == 25, "every stalled connection is closed: \(outcomes)")
        // Those over the cap of 20 are refused at once (five, or six while the readiness check's
        // kept-alive connection still counts); the rest are closed at the header timeout.
        let refused = closedTimes.filter { $0 < 4.5 }
        #expect((5...6).contains(refused.count), "\(closedTimes.sorted())")
        #expect(closedTimes.filter { $0 >= 4.5 }.allSatisfy { $0 >= 5.9 && $0 < 14 }, "\(closedTimes.sorted())")
        #expect(server.text.contains("Connection refused: the server is at its connection limit"), "\(server.text)")
        #expect(try await HTTP.send("GET", base.appendingPathComponent("healthz")).status == 200)
    }

    @Test("The descriptor limit is raised to the hard limit at start; where it cannot be, the connection cap shrinks below it, with a warning")
    func descriptorLimit() async throws {
        let hard = try #require(Self.openFilesLimit(pid: getpid())?.hard)
        let (raised, _, _) = try await Self.serve([:], launcher: ["/usr/bin/prlimit", "--nofile=256:\(hard)"])
        defer { raised.signal(SIGKILL) }
        #expect(Self.openFilesLimit(pid: raised.processID)?.soft == hard)

        // A long header timeout keeps the admitted connections open while the refused ones are counted.
        let (capped, _, port) = try await Self.serve(
            ["PARLEY_MAX_CONNECTIONS": "4096", "PARLEY_HEADER_TIMEOUT_SECONDS": "30"], launcher: ["/usr/bin/prlimit", "--nofile=200:200"])
        defer { capped.signal(SIGKILL) }
        #expect(capped.text.contains("Fewer connections than PARLEY_MAX_CONNECTIONS"), "\(capped.text)")
        #expect(capped.text.contains("maxConnections=72"), "\(capped.text)")
        // 72 connections at most: of 80, the ones past the cap are refused (closed) rather than
        // starving the server of descriptors (eight, or nine with the readiness check's). "At once"
        // is given 8 s: the whole suite on two cores once kept the server from closing them within
        // 500 ms, and the admitted ones stay open for the 30 s header timeout anyway.
        var connections: [RawConnection] = []
        for _ in 0..<80 { connections.append(try await RawConnection.open(port: port)) }
        let refused = try await withThrowingTaskGroup(of: Bool.self) { group in
            for connection in connections { group.addTask { try await connection.readUntilClosed(timeout: .seconds(8)).closedAfter != nil } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect((8...9).contains(refused), "\(refused) refused")
    }

    /// `Max open files` from /proc/<pid>/limits: soft and hard.
    static func openFilesLimit(pid: pid_t) -> (soft: Int, hard: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Max open files") })
        else { return nil }
        let numbers = line.split(separator: " ").compactMap { Int($0) }
        guard numbers.count >= 2 else { return nil }
        return (numbers[0], numbers[1])
    }
}
