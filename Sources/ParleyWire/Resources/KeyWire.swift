import ParleyDomain

/// `appKey` (and later `apiKey`): id, displayName and the secret, shown to the key's owner.
public struct KeyWire: Encodable {
    public var id: String
    public var displayName: String?
    public var secret: String

    public init(_ issued: IssuedKey) {
        self.id = issued.key.id.rawValue
        self.displayName = issued.key.displayName
        self.secret = issued.secret
    }
}

public struct KeyEnvelope: Encodable {
    public var key: KeyWire

    public init(key: KeyWire) {
        self.key = key
    }
}

public struct KeyListEnvelope: Encodable {
    public var keys: [KeyWire]

    public init(keys: [KeyWire]) {
        self.keys = keys
    }
}

/// CreateAppKey's body: `{displayName}`.
public struct KeyBody: Decodable {
    public var displayName: String?

    public init(from decoder: any Decoder) throws {
        displayName = try decoder.container(keyedBy: AnyKey.self).decodeOptional(String.self, forKey: AnyKey("displayName"))
    }
}
