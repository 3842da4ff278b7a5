import Foundation

/// The 32-byte key that protects stored API key secrets (see `CryptoSecretSealer`).
///
/// Kept outside the database on purpose: a copied database file alone reveals no secret.
public enum ServerKeySource: Sendable, Equatable {
    /// Given directly (`PARLEY_SERVER_KEY`, or tests).
    case bytes([UInt8])
    /// Read from a file, created with fresh random bytes and mode 0600 on first start when
    /// `createIfMissing` (one node on an SQLite file). Several PostgreSQL nodes must share one
    /// key: two nodes creating the file at once could each keep a different key, so there the
    /// file must exist beforehand.
    case file(String, createIfMissing: Bool = true)

    func load() throws -> [UInt8] {
        switch self {
        case .bytes(let bytes):
            return bytes
        case .file(let path, let createIfMissing):
            if let data = FileManager.default.contents(atPath: path) {
                guard data.count == 32 else { throw ConfigurationError("The server key file \(path) must hold exactly 32 bytes") }
                return Array(data)
            }
            guard createIfMissing else {
                throw ConfigurationError(
                    "The server key file \(path) does not exist; create it once (e.g. `head -c 32 /dev/urandom > \(path); chmod 600 \(path)`) and give every node the same file")
            }
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
                throw ConfigurationError("Cannot create the server key file \(path)")
            }
            return bytes
        }
    }
}
