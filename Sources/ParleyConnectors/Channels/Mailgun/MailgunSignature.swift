import Crypto
import Foundation
import ParleyDomain

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
        guard let given = Hex.bytes(signature), given.count == SHA256.byteCount else { return .forged }
        // Compared in constant time by swift-crypto's MAC equality.
        guard expected == given else { return .forged }
        return abs(now.timeIntervalSince1970 - seconds) <= Self.replayWindowSeconds ? .valid : .stale
    }

    /// What a sender computes: for tests and for anyone writing a Mailgun stand-in.
    public static func sign(timestamp: String, token: String, key: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data((timestamp + token).utf8), using: SymmetricKey(data: Data(key.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }
}
