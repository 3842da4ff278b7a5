import Foundation
import AsyncHTTPClient
import NIOCore
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

    private let process: Process
    /// The child writes stdout and stderr straight into this file; reading it needs no pipe
    /// reader thread and cannot block the child on a full pipe.
    private let logPath: String

    /// Output on stdout and stderr so far, interleaved.
    var text: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PARLEY_") }
        env.merge(environment) { $1 }
        process.environment = env
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("parley-e2e-\(UUID().uuidString).log").path
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        // One spawn at a time: Foundation's Process.run crashed (SIGSEGV in its memcpy) when suites
        // running in parallel started several servers at once.
        try Self.spawning.withLock { _ in try process.run() }
    }

    private static let spawning = Mutex(())

    /// Starts `parley serve` on an SQLite file, on an ephemeral port, and waits until /healthz answers.
    static func serve(database: String, environment: [String: String] = [:]) async throws -> (ServerProcess, URL) {
        try await serve(databaseURL: "sqlite:\(database)", environment: environment)
    }

    /// Starts `parley serve` on any database URL (`postgres://…` for several nodes).
    static func serve(databaseURL: String, environment: [String: String] = [:]) async throws -> (ServerProcess, URL) {
        let server = try ServerProcess(["serve", "--port", "0", "--database", databaseURL], environment: environment)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let range = server.text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                let port = server.text[range].split(separator: ":").last
            {
                let base = URL(string: "http://127.0.0.1:\(port)")!
                if try await HTTP.send("GET", base.appendingPathComponent("healthz")).status == 200 { return (server, base) }
            }
            if !server.process.isRunning { throw ProcessError("parley exited early: \(server.text)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        server.process.terminate()
        throw ProcessError("parley did not become ready: \(server.text)")
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for exit; returns the status and whether it ended by an uncaught signal (a crash).
    func waitForExit(timeout: Duration = .seconds(30)) async throws -> (status: Int32, crashed: Bool) {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw ProcessError("parley did not exit: \(text)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

struct ProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Plain HTTP over real sockets, through AsyncHTTPClient (Foundation's URLSession hangs inside
/// the Linux test runner).
enum HTTP {
    static func send(_ method: String, _ url: URL, basic: (String, String)? = nil, json: String? = nil) async throws -> (status: Int, body: [String: Any]) {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .init(rawValue: method)
        if let (id, secret) = basic {
            request.headers.add(name: "Authorization", value: "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString())
        }
        if let json {
            request.body = .bytes(ByteBuffer(string: json))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        let data = Data(buffer.readableBytesView)
        let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return (Int(response.status.code), body)
    }
}
