import Crypto
import Foundation
import ParleyDomain

/// Protects key secrets with a server key: HMAC-SHA256 for the hash Basic credentials are checked
/// against (fast: one HMAC per request, compared in constant time), AES-GCM for the copy JWT
/// verification and GetAppKey need. Both subkeys are derived from the one server key with HKDF so
/// neither use can weaken the other.
public struct CryptoSecretSealer: SecretSealer {
    private let macKey: SymmetricKey
    private let encryptionKey: SymmetricKey

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

    public func matches(_ candidate: String, _ sealed: SealedSecret) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(sealed.hash, authenticating: Data(candidate.utf8), using: macKey)
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
