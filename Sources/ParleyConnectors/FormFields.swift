import Foundation

/// The text fields of an HTML form body, as Mailgun posts routes and webhooks:
/// `application/x-www-form-urlencoded` or `multipart/form-data`. File parts (attachments) are
/// skipped: Parley stores an email's text, not its attachments.
public struct FormFields: Sendable {
    public private(set) var values: [String: String] = [:]

    public subscript(name: String) -> String? { values[name] }

    /// Nil when the body is neither form type or is malformed.
    public init?(contentType: String?, body: [UInt8]) {
        guard let contentType else { return nil }
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        switch parts.first?.lowercased() {
        case "application/x-www-form-urlencoded":
            guard let text = String(bytes: body, encoding: .utf8) else { return nil }
            for pair in text.split(separator: "&") {
                let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let name = Self.decode(halves[0]) else { return nil }
                values[name] = halves.count > 1 ? Self.decode(halves[1]) ?? "" : ""
            }
        case "multipart/form-data":
            guard let boundary = parts.dropFirst().first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count)
            else { return nil }
            guard let fields = Self.multipart(body, boundary: String(boundary).trimmingCharacters(in: CharacterSet(charactersIn: "\""))) else {
                return nil
            }
            values = fields
        default:
            return nil
        }
        // Text never holds U+0000 (docs/DECISIONS.md, "Text"). A provider's text is not refused for
        // it, which would only make the provider send it again: the character is dropped.
        if values.contains(where: { $0.key.utf8.contains(0) || $0.value.utf8.contains(0) }) {
            values = Dictionary(values.map { (Self.withoutNUL($0.key), Self.withoutNUL($0.value)) }) { first, _ in first }
        }
    }

    static func withoutNUL(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\u{0}" }))
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// Splits on `--boundary`, reads each part's Content-Disposition name, keeps parts without a
    /// filename.
    private static func multipart(_ body: [UInt8], boundary: String) -> [String: String]? {
        let delimiter = Array("--\(boundary)".utf8)
        var fields: [String: String] = [:]
        var starts: [Int] = []
        var index = 0
        while let found = find(delimiter, in: body, from: index) {
            starts.append(found)
            index = found + delimiter.count
        }
        guard starts.count >= 2 else { return nil }
        for (start, end) in zip(starts, starts.dropFirst()) {
            var part = Array(body[(start + delimiter.count)..<end])
            // Each part is "\r\n" headers "\r\n\r\n" content "\r\n".
            if part.starts(with: [13, 10]) { part.removeFirst(2) }
            if part.suffix(2) == [13, 10] { part.removeLast(2) }
            guard let split = find([13, 10, 13, 10], in: part, from: 0),
                let headers = String(bytes: part[..<split], encoding: .utf8)
            else { return nil }
            let content = part[(split + 4)...]
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") })
            else { continue }
            let parameters = parameters(of: String(disposition))
            guard let name = parameters["name"], parameters["filename"] == nil else { continue }
            fields[name] = String(decoding: content, as: UTF8.self)
        }
        return fields
    }

    /// `name="x"; filename="y"` → ["name": "x", "filename": "y"].
    private static func parameters(of header: String) -> [String: String] {
        var result: [String: String] = [:]
        for item in header.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
            result[key] = pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return result
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        var index = from
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
