import Foundation
@_exported import HummingbirdWSClient
import Logging
import Synchronization

/// A realtime socket as a messenger or inbox page holds one: frames sent as JSON, frames received
/// kept in order for the test to read and wait on.
public final class RealtimeClient: Sendable {
    private final class Frames: Sendable {
        let texts = Mutex<[String]>([])
    }

    private let received = Frames()
    private let outgoing: AsyncStream<String>.Continuation
    private let connection: Task<WebSocketCloseFrame?, any Error>

    /// Connects to `path` on the live test server's `port`.
    public init(port: Int, path: String, host: String = "127.0.0.1") {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        outgoing = continuation
        let received = self.received
        connection = Task {
            try await WebSocketClient.connect(url: "ws://\(host):\(port)\(path)", logger: Logger(label: "realtime-test")) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await text in stream { try await outbound.write(.text(text)) }
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                    for try await message in inbound.messages(maxSize: 1 << 22) {
                        if case .text(let text) = message { received.texts.withLock { $0.append(text) } }
                    }
                    group.cancelAll()
                }
            }
        }
    }

    public func send(_ frame: [String: Any]) throws {
        outgoing.yield(String(decoding: try JSONSerialization.data(withJSONObject: frame), as: UTF8.self))
    }

    /// Every frame received so far, parsed.
    public var frames: [[String: Any]] {
        received.texts.withLock { $0 }.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }

    /// The `event` frames received, as (seq, event type, message text if any).
    public var events: [(seq: Int, type: String, text: String?)] {
        frames.filter { $0["type"] as? String == "event" }.map { frame in
            let event = frame["event"] as? [String: Any] ?? [:]
            let message = (event["payload"] as? [String: Any])?["message"] as? [String: Any]
            return (frame["seq"] as? Int ?? -1, event["type"] as? String ?? "", (message?["content"] as? [String: Any])?["text"] as? String)
        }
    }

    /// Waits until `condition` holds for the frames received (10 s at most, else throws).
    public func wait(_ what: String, timeout: Duration = .seconds(10), until condition: ([[String: Any]]) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(frames) {
            guard ContinuousClock.now < deadline else { throw RealtimeTimeout("timed out waiting for \(what); got \(received.texts.withLock { $0 })") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Closes from this side and waits for the connection to end; the server's close frame, if any.
    @discardableResult
    public func close() async -> WebSocketCloseFrame? {
        outgoing.finish()
        return try? await connection.value
    }

    /// Waits for the server to end the connection.
    public func ended() async throws -> WebSocketCloseFrame? {
        try await connection.value
    }
}

public struct RealtimeTimeout: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
