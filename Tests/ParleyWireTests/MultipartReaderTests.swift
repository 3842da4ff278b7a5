import ParleyDomain
import ParleyWire
import Testing

/// `MultipartReader`, the streaming reader of upload bodies: what it reads must not depend on how
/// the body is cut into chunks, and what it refuses is a 400.
@Suite("Multipart reader")
struct MultipartReaderTests {
    struct Part: Equatable {
        var head: MultipartPartHead
        var body: [UInt8]
    }

    /// Every part, fed in chunks of the given sizes (cycled).
    static func read(_ body: [UInt8], boundary: String, chunks: [Int]) throws -> [Part] {
        var reader = try MultipartReader(boundary: boundary)
        var parts: [Part] = []
        var offset = 0
        var index = 0
        while offset < body.count {
            let size = max(1, chunks[index % chunks.count])
            index += 1
            let end = min(body.count, offset + size)
            for event in try reader.feed(body[offset..<end]) {
                switch event {
                case .partStarted(let head): parts.append(Part(head: head, body: []))
                case .bodyBytes(let bytes):
                    #expect(!bytes.isEmpty)
                    parts[parts.count - 1].body += bytes
                case .partEnded, .finished: break
                }
            }
            offset = end
        }
        try reader.finish()
        return parts
    }

    static func body(_ parts: [(head: String, body: [UInt8])], boundary: String, preamble: String = "", epilogue: String = "") -> [UInt8] {
        var bytes = Array(preamble.utf8)
        for part in parts {
            bytes += Array("--\(boundary)\r\n\(part.head)\r\n\r\n".utf8) + part.body + Array("\r\n".utf8)
        }
        return bytes + Array("--\(boundary)--\(epilogue)".utf8)
    }

    @Test("Fields and a file, whatever the chunking; preamble and epilogue ignored; quoted and extended names")
    func parts() throws {
        let boundary = "----parley-7MA4YWxkTrZu0gW"
        // Bytes that look like the delimiter's start, inside the file.
        let file: [UInt8] = Array("\r\n--".utf8) + Array("----parley-7MA4".utf8) + [0, 255, 13, 10, 13] + Array(repeating: 45, count: 40)
        let body = Self.body([
            ("Content-Disposition: form-data; name=\"access\"", Array("public".utf8)),
            ("Content-Disposition: form-data; name=\"source\"; filename=\"a \\\"b\\\".png\"\r\nContent-Type: Image/PNG; charset=x", file),
            ("content-disposition: form-data; name=note; filename*=UTF-8''r%C3%A9sum%C3%A9.txt", []),
        ], boundary: boundary, preamble: "ignored preamble\r\n", epilogue: "\r\ntrailing words")
        let expected = [
            Part(head: MultipartPartHead(name: "access"), body: Array("public".utf8)),
            Part(head: MultipartPartHead(name: "source", fileName: "a \"b\".png", contentType: "image/png"), body: file),
            Part(head: MultipartPartHead(name: "note", fileName: "résumé.txt"), body: []),
        ]
        for chunks in [[body.count], [1], [2], [3, 7, 1], [44], [45], [46], [4096]] {
            #expect(try Self.read(body, boundary: boundary, chunks: chunks) == expected, "\(chunks)")
        }
    }

    @Test("Refused with 400: bad boundaries, no closing delimiter, oversized headers, too many parts, junk after a delimiter")
    func refusals() throws {
        for boundary in ["", String(repeating: "b", count: 71), "a\r\nb"] {
            #expect(throws: ParleyError.self) { _ = try MultipartReader(boundary: boundary) }
        }
        #expect(try MultipartReader(contentType: "application/json") == nil)
        #expect(throws: ParleyError.self) { _ = try MultipartReader(contentType: "multipart/form-data") }
        #expect(try MultipartReader(contentType: "multipart/form-data; boundary=\"quoted\"") != nil)

        let unclosed = Array("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue".utf8)
        #expect(throws: ParleyError.self) { _ = try Self.read(unclosed, boundary: "b", chunks: [5]) }
        let hugeHeaders = Array("--b\r\nX: \(String(repeating: "h", count: MultipartReader.maximumHeaderBytes))\r\n\r\nv\r\n--b--".utf8)
        #expect(throws: ParleyError.self) { _ = try Self.read(hugeHeaders, boundary: "b", chunks: [100]) }
        let endless = Array("--b\r\nX: ".utf8) + Array(repeating: UInt8(ascii: "h"), count: 3 * MultipartReader.maximumHeaderBytes)
        #expect(throws: ParleyError.self) { _ = try Self.read(endless, boundary: "b", chunks: [1000]) }
        let many = Self.body(Array(repeating: ("Content-Disposition: form-data; name=\"x\"", [UInt8]()), count: MultipartReader.maximumParts + 1), boundary: "b")
        #expect(throws: ParleyError.self) { _ = try Self.read(many, boundary: "b", chunks: [64]) }
        #expect(throws: ParleyError.self) { _ = try Self.read(Array("--bXY\r\n\r\n\r\n--b--".utf8), boundary: "b", chunks: [3]) }
        #expect(throws: ParleyError.self) {
            _ = try Self.read(Array("--b\r\nContent-Disposition: form-data; name=\"a\u{0}\"\r\n\r\nv\r\n--b--".utf8), boundary: "b", chunks: [9])
        }
    }
}
