import Crypto
import Foundation
import Hummingbird
import Synchronization

/// SHA-256 of a request body, taken as the handler reads it, so bodies of any size (uploads
/// stream) are fingerprinted without being held. `value` is nil unless the body was read to its end.
final class BodyDigest: Sendable {
    private struct State {
        var hasher = SHA256()
        var finished: String?
    }

    private let state = Mutex(State())

    /// The whole body's digest, in hex, once it has all been read.
    var value: String? { state.withLock { $0.finished } }

    /// `body`, passing through this digest on its way to whoever reads it.
    func wrapping(_ body: RequestBody) -> RequestBody {
        RequestBody(asyncSequence: Passing(base: body, digest: self))
    }

    /// Reads `body` to its end (a retry, whose handler does not run) and returns its digest.
    func drain(_ body: RequestBody) async throws -> String {
        for try await buffer in body { add(buffer) }
        return finish()
    }

    fileprivate func add(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { bytes in state.withLock { $0.hasher.update(bufferPointer: bytes) } }
    }

    @discardableResult
    fileprivate func finish() -> String {
        state.withLock { state in
            if let finished = state.finished { return finished }
            let hex = state.hasher.finalize().map { String(format: "%02x", $0) }.joined()
            state.finished = hex
            return hex
        }
    }

    private struct Passing: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let base: RequestBody
        let digest: BodyDigest

        func makeAsyncIterator() -> Iterator {
            Iterator(base: base.makeAsyncIterator(), digest: digest)
        }

        struct Iterator: AsyncIteratorProtocol {
            var base: RequestBody.AsyncIterator
            let digest: BodyDigest

            mutating func next() async throws -> ByteBuffer? {
                guard let buffer = try await base.next() else {
                    digest.finish()
                    return nil
                }
                digest.add(buffer)
                return buffer
            }
        }
    }
}
