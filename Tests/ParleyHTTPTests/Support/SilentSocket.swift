import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A WebSocket client that completes the upgrade and then says nothing, not even the pongs a
/// browser sends by itself: a dead client, as the server sees one. It only reads, to notice when
/// the server closes the connection.
struct SilentSocket: Sendable {
    let descriptor: Int32

    static func open(port: Int, path: String) async throws -> SilentSocket {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw FixtureError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw FixtureError("connect() failed") }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        let sent = Array(request.utf8).withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        guard sent == request.utf8.count else { throw FixtureError("send() failed") }
        return SilentSocket(descriptor: descriptor)
    }

    /// Reads (and ignores) whatever comes until the server closes; throws after `timeout`.
    func waitForClose(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        defer { close(descriptor) }
        while ContinuousClock.now < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { return }
            if count < 0, errno != EAGAIN, errno != EWOULDBLOCK { return }
            await Task.yield()
        }
        throw FixtureError("the server kept a silent socket open")
    }
}
