import Crypto
import Foundation

/// Mailgun's webhook signature: `signature` is hex HMAC-SHA256 over `timestamp + token`, keyed
/// with the domain's HTTP webhook signing key. Checked before anything else of the request is used.
public struct MailgunSignature: Sendable {
    /// How far `timestamp` may be from now, either way: older requests are replays (or too late to trust).
    public static let replayWindowSeconds: Double = 15 * 60

    public var timestamp: String
    public var token: String
    public var signature: String

    public init(timestamp: String, token: String, signature: String) {
        self.timestamp = timestamp
        self.token = token
        self.signature = signature
    }

    public enum Verdict: Equatable, Sendable {
        case valid, forged, stale
    }

    public func verify(key: String, now: Date) -> Verdict {
        guard let seconds = Double(timestamp) else { return .forged }
        let expected = HMAC<SHA256>.authenticationCode(for: Data((timestamp + token).utf8), using: SymmetricKey(data: Data(key.utf8)))
        guard let given = Self.bytes(hex: signature), given.count == SHA256.byteCount else { return .forged }
        // Compared in constant time by swift-crypto's MAC equality.
        guard expected == given else { return .forged }
        return abs(now.timeIntervalSince1970 - seconds) <= Self.replayWindowSeconds ? .valid : .stale
    }

    /// What a sender computes: for tests and for anyone writing a Mailgun stand-in.
    public static func sign(timestamp: String, token: String, key: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data((timestamp + token).utf8), using: SymmetricKey(data: Data(key.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    /// Hex digits only, two per byte: `UInt8(_:radix:)` would also take a sign ("+0", "-0"),
    /// giving one signature several spellings.
    private static func bytes(hex: String) -> Data? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var data = Data()
        data.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            data.append(high << 4 | low)
        }
        return data
    }
}
