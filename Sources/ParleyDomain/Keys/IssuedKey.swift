/// A key together with its plain secret, as CreateAppKey and GetAppKey show it.
public struct IssuedKey: Hashable, Sendable {
    public var key: APIKey
    public var secret: String

    public init(key: APIKey, secret: String) {
        self.key = key
        self.secret = secret
    }
}
