import ParleyDomain

/// `appKey` (and later `apiKey`): id, displayName and the secret, shown to the key's owner.
struct KeyWire: Encodable {
    var id: String
    var displayName: String?
    var secret: String

    init(_ issued: IssuedKey) {
        self.id = issued.key.id.rawValue
        self.displayName = issued.key.displayName
        self.secret = issued.secret
    }
}

struct KeyEnvelope: Encodable {
    var key: KeyWire
}

struct KeyListEnvelope: Encodable {
    var keys: [KeyWire]
}

/// CreateAppKey's body: `{displayName}`.
struct KeyBody: Decodable {
    var displayName: String?

    init(from decoder: any Decoder) throws {
        displayName = try decoder.container(keyedBy: AnyKey.self).decodeOptional(String.self, forKey: AnyKey("displayName"))
    }
}
