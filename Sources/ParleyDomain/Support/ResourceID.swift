import Foundation

/// The 24-hex identifier every resource carries on the wire (Mongo ObjectId-shaped, as the API's ids are).
///
/// Ids sort by creation time, which is what cursor pagination relies on: see `ResourceIDGenerator`.
public struct ResourceID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts exactly 24 lowercase or uppercase hex digits; stores them lowercased.
    ///
    /// Byte-wise and not generic: every request parses a few ids (path parameters, stored rows),
    /// and the generic version, unspecialised across modules, with Unicode `lowercased()`, was
    /// ≈ 2 % of a post's CPU.
    public init?(_ text: String) {
        var text = text
        guard let valid = text.withUTF8({ Self.check($0) }) else { return nil }
        self.rawValue = valid ? text : text.lowercased()
    }

    public init?(_ text: Substring) {
        self.init(String(text))
    }

    public init?(_ text: some StringProtocol) {
        self.init(String(text))
    }

    /// nil unless 24 hex digits; whether they are already lowercase.
    private static func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard bytes.count == 24 else { return nil }
        var lowercase = true
        for byte in bytes {
            guard byte.isHexDigit else { return nil }
            if byte >= 0x41 && byte <= 0x46 { lowercase = false }
        }
        return lowercase
    }

    init(trusted rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: ResourceID, rhs: ResourceID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The smallest id `ResourceIDGenerator` can make at `time`: ids made earlier sort below it,
    /// so "created before" is an id range.
    public static func earliest(at time: Timestamp) -> ResourceID {
        let millis = UInt64(max(0, min(time.millisecondsSince1970, (1 << 48) - 1)))
        return ResourceIDGenerator.id(millis: millis, sequence: 0, nodeTag: 0)
    }
}

extension UInt8 {
    var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }

    /// An ASCII letter or digit, or one of `also` (names made of "alphanumerics, `-` and `_`").
    public func isASCIIWordByte(also: [UInt8] = []) -> Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) || also.contains(self)
    }
}
