import ParleyDomain

/// Reads a `multipart/form-data` body (RFC 7578 over RFC 2046) as it arrives, chunk by chunk, so a
/// 50 MB upload is never held whole: what it keeps is at most one part's headers (`maximumHeaderBytes`)
/// and the few bytes that might begin a delimiter. Each `feed` returns what the chunk completed:
/// a part's head, pieces of its body, its end, and the end of the body. Malformed input is a 400,
/// never a trap: every limit is checked before it could be exceeded.
public struct MultipartReader: Sendable {
    public enum Event: Hashable, Sendable {
        case partStarted(MultipartPartHead)
        /// The next bytes of the current part's body (never empty).
        case bodyBytes([UInt8])
        case partEnded
        /// The closing delimiter: anything after it (the epilogue) is ignored.
        case finished
    }

    /// One part's headers block (RFC 7578 parts carry two or three short headers).
    public static let maximumHeaderBytes = 8 * 1024
    public static let maximumParts = 64

    private enum State {
        /// Before the first delimiter, or inside a part's body: looking for `\r\n--boundary`.
        case seeking(inBody: Bool)
        /// Just after a delimiter: `--` ends the body, `\r\n` (after optional padding) starts a part.
        case afterDelimiter
        case headers
        case finished
    }

    private let delimiter: [UInt8]
    private var state = State.seeking(inBody: false)
    /// Bytes read but not yet decided on.
    private var pending: [UInt8]
    private var parts = 0

    /// `boundary`: the `boundary` parameter of the body's Content-Type, 1…70 characters (RFC 2046).
    public init(boundary: String) throws {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), !bytes.contains(UInt8(ascii: "\r")), !bytes.contains(UInt8(ascii: "\n")) else {
            throw ParleyError.badRequest("The multipart boundary must be 1 to 70 characters on one line")
        }
        delimiter = Array("\r\n--".utf8) + bytes
        // The first delimiter may open the body without a line break before it.
        pending = Array("\r\n".utf8)
    }

    /// The reader for a `Content-Type` header, if it is `multipart/form-data` with a boundary.
    public init?(contentType: String?) throws {
        guard let contentType else { return nil }
        let parameters = contentType.utf8.split(separator: UInt8(ascii: ";")).map { MultipartPartHead.trimmingSpaces(String(decoding: $0, as: UTF8.self)) }
        guard parameters.first?.lowercased() == "multipart/form-data" else { return nil }
        guard let boundary = parameters.dropFirst().first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count) else {
            throw ParleyError.badRequest("A multipart/form-data body needs a boundary")
        }
        var value = String(boundary)
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
        try self.init(boundary: value)
    }

    public mutating func feed(_ bytes: some Collection<UInt8>) throws -> [Event] {
        guard !bytes.isEmpty else { return [] }
        pending.append(contentsOf: bytes)
        var events: [Event] = []
        var progress = true
        while progress {
            progress = try step(&events)
        }
        return events
    }

    /// The body has ended: it must have closed its last part.
    public func finish() throws {
        guard case .finished = state else { throw ParleyError.badRequest("The multipart body ends before its closing boundary") }
    }

    /// Decides what it can of `pending`; false when more bytes are needed.
    private mutating func step(_ events: inout [Event]) throws -> Bool {
        switch state {
        case .finished:
            pending.removeAll()
            return false

        case .seeking(let inBody):
            if let found = Self.firstIndex(of: delimiter, in: pending) {
                if inBody {
                    if found > 0 { events.append(.bodyBytes(Array(pending[..<found]))) }
                    events.append(.partEnded)
                }
                pending.removeFirst(found + delimiter.count)
                state = .afterDelimiter
                return true
            }
            // Everything but a tail that could begin the delimiter is decided.
            let keep = Self.partialMatchLength(of: delimiter, atEndOf: pending)
            let decided = pending.count - keep
            if decided > 0 {
                if inBody { events.append(.bodyBytes(Array(pending[..<decided]))) }
                pending.removeFirst(decided)
            }
            return false

        case .afterDelimiter:
            guard pending.count >= 2 else { return false }
            if pending[0] == UInt8(ascii: "-"), pending[1] == UInt8(ascii: "-") {
                state = .finished
                events.append(.finished)
                pending.removeAll()
                return false
            }
            // Transport padding (spaces and tabs) may follow a delimiter before its line break.
            var index = 0
            while index < pending.count, pending[index] == UInt8(ascii: " ") || pending[index] == UInt8(ascii: "\t") {
                index += 1
                guard index <= 64 else { throw ParleyError.badRequest("The multipart body is malformed after a boundary") }
            }
            guard index + 2 <= pending.count else { return false }
            guard pending[index] == UInt8(ascii: "\r"), pending[index + 1] == UInt8(ascii: "\n") else {
                throw ParleyError.badRequest("The multipart body is malformed after a boundary")
            }
            pending.removeFirst(index + 2)
            parts += 1
            guard parts <= Self.maximumParts else { throw ParleyError.badRequest("The multipart body has more than \(Self.maximumParts) parts") }
            state = .headers
            return true

        case .headers:
            let end: Int
            let consumed: Int
            if pending.count >= 2, pending[0] == UInt8(ascii: "\r"), pending[1] == UInt8(ascii: "\n") {
                // No headers: the blank line follows the delimiter's line break at once.
                (end, consumed) = (0, 2)
            } else if let found = Self.firstIndex(of: Array("\r\n\r\n".utf8), in: pending) {
                (end, consumed) = (found, found + 4)
            } else {
                guard pending.count <= Self.maximumHeaderBytes else {
                    throw ParleyError.badRequest("A multipart part's headers exceed \(Self.maximumHeaderBytes) bytes")
                }
                return false
            }
            guard end <= Self.maximumHeaderBytes else {
                throw ParleyError.badRequest("A multipart part's headers exceed \(Self.maximumHeaderBytes) bytes")
            }
            events.append(.partStarted(try MultipartPartHead(headers: Array(pending[..<end]))))
            pending.removeFirst(consumed)
            // The part's body runs to the next delimiter, whose line break belongs to the delimiter.
            state = .seeking(inBody: true)
            return true
        }
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        let last = haystack.count - needle.count
        var index = 0
        while index <= last {
            if haystack[index] == first {
                var matched = 1
                while matched < needle.count, haystack[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return index }
            }
            index += 1
        }
        return nil
    }

    /// How many bytes at the end of `bytes` are a proper prefix of `needle`.
    static func partialMatchLength(of needle: [UInt8], atEndOf bytes: [UInt8]) -> Int {
        var length = min(needle.count - 1, bytes.count)
        while length > 0 {
            if bytes[(bytes.count - length)...].elementsEqual(needle[..<length]) { return length }
            length -= 1
        }
        return 0
    }
}
