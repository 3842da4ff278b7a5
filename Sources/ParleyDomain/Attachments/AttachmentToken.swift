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

    /// The token of a `mediaUrl` shaped like one Parley serves (`…/attachments/<token>/<name>`),
    /// whatever its host: a token is unguessable, so only its app's store can confirm it.
    /// (A static function, not an initializer: `AttachmentToken.init` passed as a function would
    /// otherwise be ambiguous.)
    public static func of(mediaUrl: String) -> AttachmentToken? {
        let path = mediaUrl.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "#", maxSplits: 1).first ?? "" } ?? ""
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count >= 3, segments[segments.count - 3] == "attachments", !segments[segments.count - 1].isEmpty,
            let token = AttachmentToken(segments[segments.count - 2])
        else { return nil }
        return token
    }

    private init(unchecked: String) {
        rawValue = unchecked
    }

    public var description: String { rawValue }
}
