/// Protects key secrets at rest. The implementation lives outside the domain (it needs a crypto
/// library and a server key); the domain only asks for these three things.
public protocol SecretSealer: Sendable {
    func seal(_ secret: String) throws -> SealedSecret
    /// The plain secret, for JWT verification and for showing the key to its owner.
    func open(_ sealed: SealedSecret) throws -> String
    /// Several named secrets sealed as one (an integration's credentials).
    func seal(fields: [String: String]) throws -> SealedSecret
    func openFields(_ sealed: SealedSecret) throws -> [String: String]
    /// Constant-time check of a presented secret against the stored hash.
    func matches(_ candidate: String, _ sealed: SealedSecret) -> Bool
}
