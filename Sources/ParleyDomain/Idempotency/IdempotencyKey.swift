/// A client's `Idempotency-Key` for one POST, in the scope it counts in: the app the path names,
/// else the key that called (CreateApp). Two apps may use the same key text independently.
public struct IdempotencyKey: Hashable, Sendable {
    /// `app:{appId}` or `key:{keyId}`.
    public let scope: String
    public let value: String

    /// The longest key accepted, as Stripe's; UUIDs and ULIDs fit easily.
    public static let maximumLength = 255

    /// nil unless `value` is 1 to 255 visible ASCII characters (what a header carries unchanged).
    public init?(value: String, appId: ResourceID?, keyId: KeyID) {
        guard (1...Self.maximumLength).contains(value.utf8.count), value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
        self.value = value
        self.scope = appId.map { "app:\($0.rawValue)" } ?? "key:\(keyId.rawValue)"
    }

    /// As stored.
    public init(scope: String, value: String) {
        self.scope = scope
        self.value = value
    }
}
