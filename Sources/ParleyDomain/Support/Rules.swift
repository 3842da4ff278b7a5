import Foundation

/// Field rules shared by every resource. Each throws a 400 that names the field, so a client
/// always learns which part of its body was refused.
public enum Rules {
    /// A text field Parley keeps: `range` characters, and no U+0000 (see `noNUL`). Checked here so
    /// every caller holds it, not only bodies that went through the v2 API's decoder.
    public static func length(_ value: String, _ range: ClosedRange<Int>, field: String) throws {
        try noNUL(value, field: field)
        let count = value.count
        guard range.contains(count) else {
            if count < range.lowerBound {
                throw ParleyError.badRequest("\(field) must be at least \(range.lowerBound) characters long")
            }
            throw ParleyError.badRequest("\(field) must be at most \(range.upperBound) characters long")
        }
    }

    /// A switchboard integration's `name`: 1…128 letters, digits, `-` and `_` (it is how control
    /// actions name it).
    public static func switchboardIntegrationName(_ value: String) throws {
        guard (1...128).contains(value.utf8.count),
            value.utf8.allSatisfy({ $0.isASCIIWordByte(also: Array("-_".utf8)) })
        else {
            throw ParleyError.badRequest("name must be 1 to 128 letters, digits, - or _")
        }
    }

    public static func email(_ value: String, field: String) throws {
        try length(value, 1...128, field: field)
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), !hasWhitespace(value)
        else {
            throw ParleyError.badRequest("\(field) must be a valid email address")
        }
    }

    /// Looked for scalar by scalar: a Character hides a space behind a prepended mark (U+0600 then
    /// a space is one Character, and not a whitespace one).
    static func hasWhitespace(_ value: String) -> Bool {
        value.unicodeScalars.contains(where: \.properties.isWhitespace)
    }

    /// An absolute URI with a scheme, as `format: uri` asks.
    public static func uri(_ value: String, maxLength: Int = 2048, field: String) throws {
        try length(value, 1...maxLength, field: field)
        guard let url = URL(string: value), let scheme = url.scheme, !scheme.isEmpty, !hasWhitespace(value) else {
            throw ParleyError.badRequest("\(field) must be an absolute URI")
        }
    }

    /// Text Parley keeps never holds U+0000: PostgreSQL's text cannot store it and SQLite's C
    /// interface ends text at it, so a value stored with one would differ from the value answered.
    public static func noNUL(_ text: String, field: String) throws {
        if text.utf8.contains(0) { throw ParleyError.badRequest("\(field) must not contain the NUL character (U+0000)") }
    }

    public static func datetime(_ value: String, field: String) throws -> Timestamp {
        guard let timestamp = Timestamp(iso8601: value) else {
            throw ParleyError.badRequest("\(field) must be an ISO 8601 datetime such as 2020-05-21T15:53:30.197Z")
        }
        return timestamp
    }
}
