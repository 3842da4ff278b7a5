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
}

extension UInt8 {
    var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}
