import Hummingbird

/// Receives a response body into memory: an idempotent POST's answer, kept before it is sent.
/// API answers are JSON documents of a few kilobytes. `write(_:)` consumes the writer, so the
/// bytes land in a shared `Sink`.
struct CollectingWriter: ResponseBodyWriter {
    final class Sink {
        var bytes: [UInt8] = []
    }

    let sink: Sink

    mutating func write(_ buffer: ByteBuffer) async throws {
        sink.bytes.append(contentsOf: buffer.readableBytesView)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
