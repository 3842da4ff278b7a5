import Hummingbird
import Logging
import Synchronization

/// A Hummingbird server on an ephemeral loopback port, run inside a test process to stand in for
/// the outside world (a webhook receiver, Mailgun). Shared by every fake so each only describes
/// its routes.
public final class LoopbackServer: Sendable {
    private let portBox = Mutex<Int?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)

    public init() {}

    /// `http://127.0.0.1:<port>` once started.
    public var baseURL: String { "http://127.0.0.1:\(portBox.withLock { $0 } ?? 0)" }

    /// Serves `router` until `stop()`; returns once the port is bound.
    public func start(_ router: Router<BasicRequestContext>, label: String) async throws {
        var logger = Logger(label: label)
        // Cancelling the server at the end of a test logs at error level; that is not news.
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { [self] channel in self.portBox.withLock { $0 = channel.localAddress?.port } }, logger: logger)
        task.withLock { $0 = Task { try await app.run() } }
        while portBox.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(20)) }
    }

    public func stop() {
        task.withLock { $0?.cancel() }
    }

    /// Polls `condition` until it holds; throws `Timeout` (with `describe()`) after `timeout`.
    public static func wait(
        timeout: Duration, describe: @Sendable () -> String, until condition: @Sendable () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw Timeout(description: describe()) }
            try await Task.sleep(for: .milliseconds(30))
        }
    }

    public struct Timeout: Error, CustomStringConvertible {
        public let description: String
    }
}

extension Logger {
    /// For parts a test makes fail on purpose: what they log about it is not news.
    public static var silent: Logger {
        Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    }
}
