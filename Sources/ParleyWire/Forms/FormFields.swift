import Foundation
import ParleyDomain

/// The fields of an HTML form body, as providers post them (Mailgun, Twilio) and as Parley's own pages do:
/// `application/x-www-form-urlencoded` or `multipart/form-data`: text fields by name, file parts
/// (an email's attachments) in `files`.
public struct FormFields: Sendable {
    public private(set) var values: [String: String] = [:]
    /// File parts, in the order sent.
    public private(set) var files: [FormFile] = []
    /// Every field as sent, in order and repeats kept, before U+0000 is dropped: what a provider
    /// signs (Twilio).
    public private(set) var pairs: [(name: String, value: String)] = []

    public subscript(name: String) -> String? { values[name] }

    /// Nil when the body is neither form type or is malformed.
    public init?(contentType: String?, body: [UInt8]) {
        guard let contentType else { return nil }
        let parts = Self.split(contentType, on: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        switch parts.first?.lowercased() {
        case "application/x-www-form-urlencoded":
            guard let text = String(validating: body, as: UTF8.self) else { return nil }
            for pair in Self.split(text, on: "&") where !pair.isEmpty {
                let halves = Self.split(pair, on: "=", maxSplits: 1)
                guard let name = Self.decode(halves[0][...]) else { return nil }
                let value = halves.count > 1 ? Self.decode(halves[1][...]) ?? "" : ""
                values[name] = value
                pairs.append((name, value))
            }
        case "multipart/form-data":
            guard let boundary = parts.dropFirst().first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count)
            else { return nil }
            guard let (fields, files) = Self.multipart(body, boundary: String(boundary).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
            else { return nil }
            values = fields
            self.files = files
            pairs = fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
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

    /// Split on an ASCII byte, never on a Character: Swift's Characters compare canonically, so
    /// splitting on ";" would also split on U+037E, and a mark after "&" would hide it.
    static func split(_ text: some StringProtocol, on separator: Unicode.Scalar, maxSplits: Int = .max) -> [String] {
        text.utf8.split(separator: UInt8(ascii: separator), maxSplits: maxSplits, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
    }

    private static func decode(_ text: Substring) -> String? {
        PercentEncoding.decode(text, plusIsSpace: true)
    }

    /// Splits on `--boundary` and reads each part's Content-Disposition name: a part with a
    /// filename is a file, the others text fields.
    private static func multipart(_ body: [UInt8], boundary: String) -> ([String: String], [FormFile])? {
        let delimiter = Array("--\(boundary)".utf8)
        var fields: [String: String] = [:]
        var files: [FormFile] = []
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
            guard let disposition = Self.split(headers, on: "\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") })
            else { continue }
            let parameters = parameters(of: String(disposition))
            guard let name = parameters["name"] else { continue }
            if let fileName = parameters["filename"] {
                let contentType = Self.split(headers, on: "\n").first { $0.lowercased().hasPrefix("content-type:") }
                    .map { $0.dropFirst("content-type:".count).trimmingCharacters(in: .whitespacesAndNewlines) }
                files.append(FormFile(name: name, fileName: fileName, contentType: contentType, bytes: Array(content)))
            } else {
                fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
        return (fields, files)
    }

    /// `name="x"; filename="y"` → ["name": "x", "filename": "y"]. A `;` inside quotes is part of
    /// the value.
    private static func parameters(of header: String) -> [String: String] {
        var items: [String] = []
        var current: [UInt8] = []
        var quoted = false
        for byte in header.trimmingCharacters(in: .newlines).utf8 {
            if byte == UInt8(ascii: "\""), current.last != UInt8(ascii: "\\") { quoted.toggle() }
            if byte == UInt8(ascii: ";"), !quoted {
                items.append(String(decoding: current, as: UTF8.self))
                current = []
            } else {
                current.append(byte)
            }
        }
        items.append(String(decoding: current, as: UTF8.self))
        var result: [String: String] = [:]
        for item in items.dropFirst() {
            let pair = split(item, on: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
            result[key] = pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return result
    }

    /// Where `needle` first occurs at or after `from` (Knuth–Morris–Pratt): linear in the body
    /// whatever the boundary. A naive search compared up to the boundary's length at every byte,
    /// which a body of dashes and a boundary of dashes made take seconds, before the signature
    /// was even checked.
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, from >= 0, haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        var failure = [Int](repeating: 0, count: needle.count)
        var matched = 0
        for index in 1..<max(needle.count, 1) {
            while matched > 0 && needle[index] != needle[matched] { matched = failure[matched - 1] }
            if needle[index] == needle[matched] { matched += 1 }
            failure[index] = matched
        }
        matched = 0
        for index in from..<haystack.count {
            while matched > 0 && haystack[index] != needle[matched] { matched = failure[matched - 1] }
            if haystack[index] == needle[matched] { matched += 1 }
            if matched == needle.count { return index - needle.count + 1 }
        }
        return nil
    }
}
