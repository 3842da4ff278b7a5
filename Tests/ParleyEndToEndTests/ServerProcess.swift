import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyTestSupport
import Synchronization

/// A real `parley` process, started the way an operator starts it, with its output captured.
///
/// The binary is the one `swift test` just built (`.build/debug/parley`), or `PARLEY_BIN`.
final class ServerProcess: Sendable {
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["PARLEY_BIN"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/parley").path
    }

    private let pid: pid_t
    /// The child's wait status once reaped (exit code or signal), under a lock.
    private let exit = Mutex<Int32?>(nil)
    /// The child writes stdout and stderr straight into this file; reading it needs no pipe
    /// reader thread and cannot block the child on a full pipe.
    private let logPath: String

    /// The child's process id (a launcher that execs keeps it).
    var processID: pid_t { pid }

    /// Output on stdout and stderr so far, interleaved.
    var text: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Spawned with posix_spawn, not Foundation's `Process`: its `run()` crashed (SIGSEGV in a
    /// memcpy) in a test process holding many sockets, as the PostgreSQL suites' pools do.
    ///
    /// `launcher`: a program and its arguments that run `parley` in turn (`prlimit --nofile=…`).
    init(_ arguments: [String], environment: [String: String] = [:], launcher: [String] = []) throws {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PARLEY_") }
        // The tests' fakes (webhook receivers, Mailgun) listen on loopback; a test may say otherwise.
        env["PARLEY_OUTBOUND_ALLOW"] = "127.0.0.0/8"
        env.merge(environment) { $1 }
        logPath = Scratch.file("e2e.log")
        func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] { strings.map { $0.withCString { strdup($0) } } + [nil] }
        let program = launcher.first ?? Self.binary
        var argv = cStrings(launcher + [Self.binary] + arguments)
        var envp = cStrings(env.map { "\($0.key)=\($0.value)" })
        defer { (argv + envp).forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // O_CREAT: the log exists from the spawn on, so `text` can read it at once.
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the test process's: its sockets (many not close-on-exec) would count
        // against a child's descriptor limit (SlowClientTests.descriptorLimit runs one at 200).
        // (glibc 2.34's addclosefrom_np, which Swift's Glibc module does not declare.)
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, program, &actions, nil, &argv, &envp)
        guard result == 0 else { throw ProcessError("posix_spawn \(program) failed: \(result)") }
        pid = child
    }

    /// True until the child has exited (and is reaped here).
    var isRunning: Bool {
        exit.withLock { status in
            if status != nil { return false }
            var raw: Int32 = 0
            guard waitpid(pid, &raw, WNOHANG) == pid else { return true }
            status = raw
            return false
        }
    }

    /// Starts `parley serve` on an SQLite file, on an ephemeral port, and waits until /healthz answers.
    static func serve(database: String, environment: [String: String] = [:], launcher: [String] = []) async throws -> (ServerProcess, URL) {
        try await serve(databaseURL: "sqlite:\(database)", environment: environment, launcher: launcher)
    }

    /// Starts `parley serve` on any database URL (`postgres://…` for several nodes).
    static func serve(databaseURL: String, environment: [String: String] = [:], launcher: [String] = []) async throws -> (ServerProcess, URL) {
        let server = try ServerProcess(["serve", "--port", "0", "--database", databaseURL], environment: environment, launcher: launcher)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let range = server.text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                let port = server.text[range].split(separator: ":").last
            {
                let base = URL(string: "http://127.0.0.1:\(port)")!
                if try await HTTP.send("GET", base.appendingPathComponent("healthz")).status == 200 { return (server, base) }
            }
            if !server.isRunning { throw ProcessError("parley exited early: \(server.text)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        server.signal(SIGTERM)
        throw ProcessError("parley did not become ready: \(server.text)")
    }

    func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits for exit; returns the status and whether it ended by an uncaught signal (a crash).
    func waitForExit(timeout: Duration = .seconds(30)) async throws -> (status: Int32, crashed: Bool) {
        let deadline = ContinuousClock.now + timeout
        while isRunning {
            if ContinuousClock.now > deadline {
                signal(SIGKILL)
                throw ProcessError("parley did not exit: \(text)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let status = exit.withLock { $0 } ?? 0
        // WIFSIGNALED / WEXITSTATUS, spelled out (the C macros are not imported).
        let signalled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
        return (signalled ? 128 + (status & 0x7f) : (status >> 8) & 0xff, signalled)
    }

    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            _ = waitpid(pid, &raw, 0)
        }
    }
}

struct ProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Plain HTTP over real sockets, through AsyncHTTPClient (Foundation's URLSession hangs inside
/// the Linux test runner).
enum HTTP {
    static func send(
        _ method: String, _ url: URL, basic: (String, String)? = nil, json: String? = nil, headers: [String: String] = [:]
    ) async throws -> (status: Int, body: [String: Any]) {
        let (status, bytes) = try await exchange(
            method, url, basic: basic, body: json.map { Array($0.utf8) }, contentType: "application/json", headers: headers)
        let body = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
        return (status, body)
    }

    /// Any body, answered as bytes.
    static func exchange(
        _ method: String, _ url: URL, basic: (String, String)? = nil, body: [UInt8]? = nil, contentType: String? = nil, headers: [String: String] = [:]
    ) async throws -> (status: Int, bytes: [UInt8]) {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let (id, secret) = basic {
            request.headers.add(name: "Authorization", value: "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString())
        }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), Array(buffer.readableBytesView))
    }
}
