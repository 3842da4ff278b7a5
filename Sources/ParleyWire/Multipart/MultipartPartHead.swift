import ParleyDomain

/// What a multipart part says of itself: its form field `name`, the `filename` a file part
/// carries, and its `Content-Type` (RFC 7578: `text/plain` when absent).
public struct MultipartPartHead: Hashable, Sendable {
    public var name: String?
    public var fileName: String?
    public var contentType: String?

    public init(name: String? = nil, fileName: String? = nil, contentType: String? = nil) {
        self.name = name
        self.fileName = fileName
        self.contentType = contentType
    }

    /// Reads a part's header lines (without the blank line that ends them). Header names are
    /// case-insensitive; other headers are ignored; U+0000 is refused.
    init(headers: [UInt8]) throws {
        guard !headers.contains(0) else { throw ParleyError.badRequest("A multipart part's headers contain U+0000") }
        let text = String(decoding: headers, as: UTF8.self)
        for line in text.utf8.split(separator: UInt8(ascii: "\n")).map({ String(decoding: $0, as: UTF8.self) }) {
            let line = line.hasSuffix("\r") ? String(line.dropLast()) : line
            guard let colon = line.utf8.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = String(line[..<colon]).lowercased()
            let value = String(line[line.index(after: colon)...])
            switch name {
            case "content-disposition":
                let parameters = Self.parameters(value)
                self.name = parameters["name"]
                self.fileName = parameters["filename*"].flatMap(Self.extendedValue) ?? parameters["filename"]
            case "content-type":
                contentType = value.utf8.split(separator: UInt8(ascii: ";")).first.map { String(decoding: $0, as: UTF8.self) }
                    .map { String($0.unicodeScalars.filter { $0 != " " && $0 != "\t" }).lowercased() }
            default:
                continue
            }
        }
    }

    /// `form-data; name="source"; filename="a \"b\".png"` → ["name": "source", "filename": "a \"b\".png"].
    static func parameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        var scalars = Array(value.unicodeScalars)[...]
        func skipSpaces() { while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() } }
        // The disposition type comes first.
        while let first = scalars.first, first != ";" { scalars.removeFirst() }
        while !scalars.isEmpty {
            scalars.removeFirst()  // ";"
            skipSpaces()
            var key = ""
            while let first = scalars.first, first != "=", first != ";" { key.unicodeScalars.append(scalars.removeFirst()) }
            key = trimmingSpaces(key).lowercased()
            guard scalars.first == "=" else { continue }
            scalars.removeFirst()
            skipSpaces()
            var parsed = ""
            if scalars.first == "\"" {
                scalars.removeFirst()
                while let next = scalars.first {
                    scalars.removeFirst()
                    if next == "\"" { break }
                    if next == "\\", let escaped = scalars.first {
                        scalars.removeFirst()
                        parsed.unicodeScalars.append(escaped)
                    } else {
                        parsed.unicodeScalars.append(next)
                    }
                }
                while let first = scalars.first, first != ";" { scalars.removeFirst() }
            } else {
                while let first = scalars.first, first != ";" { parsed.unicodeScalars.append(scalars.removeFirst()) }
                parsed = trimmingSpaces(parsed)
            }
            if !key.isEmpty, result[key] == nil { result[key] = parsed }
        }
        return result
    }

    /// Without the spaces and tabs around it (HTTP's optional whitespace).
    static func trimmingSpaces(_ text: String) -> String {
        var scalars = Substring(text)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }

    /// RFC 5987's `UTF-8''percent%20encoded`.
    static func extendedValue(_ value: String) -> String? {
        let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].lowercased() == "utf-8" else { return nil }
        return PercentEncoding.decode(pieces[2], plusIsSpace: false)
    }
}
