/// A key secret as the store keeps it: a keyed hash to check Basic credentials against, and an
/// encrypted copy, because HS256 JWTs can only be verified with the secret itself and the API shows
/// secrets again on GET.
public struct SealedSecret: Hashable, Sendable {
    public var hash: [UInt8]
    public var sealed: [UInt8]

    public init(hash: [UInt8], sealed: [UInt8]) {
        self.hash = hash
        self.sealed = sealed
    }
}
