import ParleyDomain
import ParleyWire
import Testing

/// `MultipartReader` on generated bodies: a well-formed one, with parts of random binary content
/// (delimiter look-alikes included), reads back as made under any chunking; damaged ones read as
/// parts or a 400, never a trap.
@Suite("Fuzz: multipart reader")
struct MultipartReaderFuzzTests {
    static func body(_ parts: [[UInt8]], boundary: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, part) in parts.enumerated() {
            bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"f\(index)\"\r\n\r\n".utf8) + part + Array("\r\n".utf8)
        }
        return bytes + Array("--\(boundary)--".utf8)
    }

    /// The parts' bodies, the body fed in chunks of the given sizes (cycled).
    static func read(_ body: [UInt8], boundary: String, chunks: [Int]) throws -> [[UInt8]] {
        var reader = try MultipartReader(boundary: boundary)
        var parts: [[UInt8]] = []
        var offset = 0
        var index = 0
        while offset < body.count {
            let end = min(body.count, offset + max(1, chunks[index % chunks.count]))
            index += 1
            for event in try reader.feed(body[offset..<end]) {
                switch event {
                case .partStarted: parts.append([])
                case .bodyBytes(let bytes): parts[parts.count - 1] += bytes
                case .partEnded, .finished: break
                }
            }
            offset = end
        }
        try reader.finish()
        return parts
    }

    @Test("A well-formed body reads back as its parts under any chunking; a damaged one as parts or a 400")
    func generated() async throws {
        let report = try await Fuzz.run("MultipartReader", filter: "MultipartReaderFuzzTests/generated") { random, report in
            let boundary = String((0..<(1 + random.below(30))).map { _ in random.pick(Array("abcXYZ0189-_'()+,./:=?")) })
            var parts: [[UInt8]] = []
            for _ in 0..<random.below(4) {
                var content: [UInt8] = (0..<random.below(300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                if random.oneIn(2) {
                    // A prefix of the delimiter somewhere inside.
                    let look = Array("\r\n--\(boundary)".utf8).prefix(random.below(boundary.utf8.count + 4))
                    content.insert(contentsOf: look, at: random.below(content.count + 1))
                }
                // A sender picks a boundary its content does not contain (RFC 2046): a look-alike
                // completed by the random bytes around it is cut.
                let delimiter = Array("\r\n--\(boundary)".utf8)
                while let range = content.firstRange(of: delimiter) { content.removeSubrange(range) }
                parts.append(content)
            }
            var body = Self.body(parts, boundary: boundary)
            let chunks = (0..<3).map { _ in 1 + random.below(64) }
            guard random.oneIn(3) else {
                do {
                    let read = try Self.read(body, boundary: boundary, chunks: chunks)
                    report.expect(read == parts, "boundary \(boundary): read \(read.map(\.count)) of \(parts.map(\.count))")
                    report.count("well-formed")
                } catch {
                    report.expect(false, "boundary \(boundary): a well-formed body refused: \(error)")
                }
                return
            }
            // Damaged: bytes changed, cut short, or hostile bytes.
            if random.oneIn(4) {
                body = Hostile.bytes(&random)
            } else {
                for _ in 0..<(1 + random.below(4)) where !body.isEmpty {
                    body[random.below(body.count)] = UInt8(truncatingIfNeeded: random.next())
                }
                if random.oneIn(2) { body = Array(body.prefix(random.below(body.count + 1))) }
            }
            do {
                _ = try Self.read(body, boundary: boundary, chunks: chunks)
                report.count("damaged, read")
            } catch let error as ParleyError {
                report.expect(error.kind == .badRequest, "a refusal is a 400: \(error)")
                report.count("damaged, 400")
            } catch {
                report.expect(false, "not a ParleyError: \(error)")
            }
        }
        report.expectReached("well-formed")
        report.expectReached("damaged, 400")
        report.expectReached("damaged, read")
    }
}
