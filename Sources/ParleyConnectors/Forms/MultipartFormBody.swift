import AsyncHTTPClient
import NIOCore
import ParleyDomain

/// A `multipart/form-data` request body of text fields and one file read from a stored
/// attachment, streamed by range: the file is never held whole in memory.
struct MultipartFormBody: Sendable {
    let boundary: String
    private let head: [UInt8]
    private let tail: [UInt8]
    private let reader: any AttachmentReader

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    init(fields: [(String, String)], fileField: String, fileName: String, mediaType: String, reader: any AttachmentReader) {
        boundary = "parley-" + AttachmentToken.random().rawValue
        var head: [UInt8] = []
        for (name, value) in fields {
            head += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(name))\"\r\n\r\n".utf8)
            head += Array(value.utf8) + [13, 10]
        }
        head += Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(fileField))\"; filename=\"\(Self.quoted(fileName))\"\r\nContent-Type: \(mediaType)\r\n\r\n"
                .utf8)
        self.head = head
        tail = Array("\r\n--\(boundary)--\r\n".utf8)
        self.reader = reader
    }

    /// A name or file name inside quotes: quotes and line breaks cannot end the header early.
    static func quoted(_ text: String) -> String {
        String(text.unicodeScalars.map { ["\"", "\r", "\n"].contains($0) ? "_" : Character($0) })
    }

    var body: HTTPClientRequest.Body {
        .stream(Chunks(head: head, tail: tail, reader: reader), length: .known(Int64(head.count + tail.count) + reader.size))
    }

    /// The head, the file 64 kB at a time, the tail.
    struct Chunks: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let head: [UInt8]
        let tail: [UInt8]
        let reader: any AttachmentReader

        struct AsyncIterator: AsyncIteratorProtocol {
            let chunks: Chunks
            var offset: Int64 = -1
            var done = false

            mutating func next() async throws -> ByteBuffer? {
                if done { return nil }
                if offset < 0 {
                    offset = 0
                    return ByteBuffer(bytes: chunks.head)
                }
                if offset < chunks.reader.size {
                    let bytes = try chunks.reader.read(offset: offset, count: 64 * 1024)
                    if !bytes.isEmpty {
                        offset += Int64(bytes.count)
                        return ByteBuffer(bytes: bytes)
                    }
                }
                done = true
                return ByteBuffer(bytes: chunks.tail)
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunks: self) }
    }
}
