import Crypto
import Foundation
import ParleyDomain
import ParleyWire
import Synchronization

/// Protects key secrets with a server key: HMAC-SHA256 for the hash Basic credentials are checked
/// against (fast: one HMAC per request, compared in constant time), AES-GCM for the copy JWT
/// verification and GetAppKey need. Both subkeys are derived from the one server key with HKDF so
/// neither use can weaken the other.
public final class CryptoSecretSealer: SecretSealer {
    /// Bounds `verified`; past it the memo starts again (keys are few, so it seldom does).
    static let verifiedLimit = 10_000

    private let macKey: SymmetricKey
    private let encryptionKey: SymmetricKey
    /// Secrets that matched, by the stored hash they matched: a key's next request compares bytes
    /// instead of computing an HMAC (which, with its allocations, was ≈ 2 % of a post's CPU).
    /// Keyed by the hash, so a key whose secret changes gets a new entry and a deleted key is
    /// never looked up. It holds no secret the process could not already recover: the sealed
    /// copies open with the same server key.
    private let verified = Mutex<[[UInt8]: [UInt8]]>([:])

    /// `serverKey` must be 32 bytes.
    public init(serverKey: [UInt8]) throws {
        guard serverKey.count == 32 else { throw SealerError.badServerKey }
        let master = SymmetricKey(data: serverKey)
        self.macKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("parley key-secret hash v1".utf8), outputByteCount: 32)
        self.encryptionKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("parley key-secret seal v1".utf8), outputByteCount: 32)
    }

    public func seal(_ secret: String) throws -> SealedSecret {
        let bytes = Data(secret.utf8)
        let hash = HMAC<SHA256>.authenticationCode(for: bytes, using: macKey)
        guard let sealed = try AES.GCM.seal(bytes, using: encryptionKey).combined else { throw SealerError.sealFailed }
        return SealedSecret(hash: Array(hash), sealed: Array(sealed))
    }

    public func open(_ sealed: SealedSecret) throws -> String {
        let box = try AES.GCM.SealedBox(combined: Data(sealed.sealed))
        return String(decoding: try AES.GCM.open(box, using: encryptionKey), as: UTF8.self)
    }

    /// The fields as a JSON object with sorted keys (what earlier versions stored), sealed as one secret.
    public func seal(fields: [String: String]) throws -> SealedSecret {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try seal(String(decoding: try encoder.encode(fields), as: UTF8.self))
    }

    public func openFields(_ sealed: SealedSecret) throws -> [String: String] {
        try BoundedJSONDecoder.decode([String: String].self, from: Data(try open(sealed).utf8))
    }

    public func matches(_ candidate: String, _ sealed: SealedSecret) -> Bool {
        let candidateBytes = Array(candidate.utf8)
        if let known = verified.withLock({ $0[sealed.hash] }), Self.constantTimeEqual(known, candidateBytes) {
            return true
        }
        guard HMAC<SHA256>.isValidAuthenticationCode(sealed.hash, authenticating: candidateBytes, using: macKey) else { return false }
        verified.withLock { verified in
            if verified.count >= Self.verifiedLimit { verified.removeAll() }
            verified[sealed.hash] = candidateBytes
        }
        return true
    }

    /// Time independent of where the first difference is (the length is not secret).
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    public enum SealerError: Error, CustomStringConvertible {
        case badServerKey, sealFailed
        public var description: String {
            switch self {
            case .badServerKey: "The server key must be exactly 32 bytes"
            case .sealFailed: "Sealing a secret failed"
            }
        }
    }
}
