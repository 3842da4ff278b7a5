import Foundation
import Synchronization

/// A TCP connection driven byte by byte, as a slow or hostile client would: connect and send
/// nothing, half a request line, a head without its end.
///
/// A thread of its own reads from the moment it connects and notes when the server closes, so
/// the time of the close is right even when the test looks later (a busy machine). Blocking
/// socket calls never run on the test's cooperative threads, which other tests need.
final class RawConnection: Sendable {
    private struct State {
        var received: [UInt8] = []
        /// How much of `received` `read(until:)` has handed out.
        var consumed = 0
        var closedAfter: Duration?
    }

    private let descriptor: Int32
    /// When `connect` returned: what the close is timed from.
    private let connected: ContinuousClock.Instant
    private let state = Mutex(State())

    private init(descriptor: Int32, connected: ContinuousClock.Instant) {
        self.descriptor = descriptor
        self.connected = connected
    }

    deinit {
        close(descriptor)
    }

    static func open(port: Int) async throws -> RawConnection {
        let connection: RawConnection = try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                    guard descriptor >= 0 else { throw ProcessError("socket: \(errno)") }
                    var address = sockaddr_in()
                    address.sin_family = sa_family_t(AF_INET)
                    address.sin_port = in_port_t(UInt16(port).bigEndian)
                    address.sin_addr.s_addr = inet_addr("127.0.0.1")
                    let result = withUnsafePointer(to: &address) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                    }
                    guard result == 0 else {
                        close(descriptor)
                        throw ProcessError("connect: \(errno)")
                    }
                    return RawConnection(descriptor: descriptor, connected: ContinuousClock.now)
                })
            }.start()
        }
        connection.watch()
        return connection
    }

    /// Reads until the server closes (end of stream or reset), noting when.
    private func watch() {
        let opened = connected
        Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count <= 0 {
                    let after = ContinuousClock.now - opened
                    state.withLock { $0.closedAfter = after }
                    return
                }
                state.withLock { $0.received += buffer[0..<count] }
            }
        }.start()
    }

    /// Sends the text; false when the server has already closed the connection.
    @discardableResult
    func send(_ text: String) async throws -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Waits until the server has closed the connection or `timeout` passes. Returns what was
    /// read and the time from opening to the close (nil when still open).
    func readUntilClosed(timeout: Duration) async throws -> (text: String, closedAfter: Duration?) {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (received, closedAfter) = state.withLock { ($0.received, $0.closedAfter) }
            if closedAfter != nil || ContinuousClock.now >= deadline { return (String(decoding: received, as: UTF8.self), closedAfter) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits until `marker` has arrived after what earlier calls returned (a response's end), the
    /// connection closed, or `timeout` passed; returns the new text.
    func read(until marker: String, timeout: Duration) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let found: String? = state.withLock { state in
                let text = String(decoding: state.received[state.consumed...], as: UTF8.self)
                guard text.contains(marker) || state.closedAfter != nil || ContinuousClock.now >= deadline else { return nil }
                state.consumed = state.received.count
                return text
            }
            if let found { return found }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
