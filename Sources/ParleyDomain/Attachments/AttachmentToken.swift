/// The unguessable name an attachment is served under: 128 random bits as 32 lowercase hex digits.
public struct AttachmentToken: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts exactly 32 lowercase hex digits.
    public init?(_ text: some StringProtocol) {
        guard text.utf8.count == 32, text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        rawValue = String(text)
    }

    /// A new token from the system's secure random source.
    public static func random() -> AttachmentToken {
        var generator = SystemRandomNumberGenerator()
        let words = [generator.next(), generator.next()] as [UInt64]
        let hex = words.map { word in
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
        return AttachmentToken(unchecked: hex)
    }

    private init(unchecked: String) {
        rawValue = unchecked
    }

    public var description: String { rawValue }
}
