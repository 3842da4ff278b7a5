import Foundation

/// The 24-hex identifier every resource carries on the wire (Mongo ObjectId-shaped, as the API's ids are).
///
/// Ids sort by creation time, which is what cursor pagination relies on: see `ResourceIDGenerator`.
public struct ResourceID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts exactly 24 lowercase or uppercase hex digits; stores them lowercased.
    public init?(_ text: some StringProtocol) {
        guard text.utf8.count == 24, text.utf8.allSatisfy({ $0.isHexDigit }) else { return nil }
        self.rawValue = text.lowercased()
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
        let hex = String(millis, radix: 16)
        return ResourceID(trusted: String(repeating: "0", count: 12 - hex.count) + hex + "000000000000")
    }
}

extension UInt8 {
    var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}
