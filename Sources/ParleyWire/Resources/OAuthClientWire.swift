import ParleyDomain

/// An OAuth client as `/admin/oauthClients` shows it; `secret` only in the answer that created it.
public struct OAuthClientWire: Encodable {
    public var id: String
    public var name: String
    public var redirectUris: [String]
    public var createdAt: String
    public var secret: String?

    public init(_ client: OAuthClient, secret: String? = nil) {
        id = client.id.rawValue
        name = client.name
        redirectUris = client.redirectURIs
        createdAt = client.createdAt.iso8601
        self.secret = secret
    }
}

public struct OAuthClientEnvelope: Encodable {
    public var oauthClient: OAuthClientWire

    public init(oauthClient: OAuthClientWire) {
        self.oauthClient = oauthClient
    }
}

public struct OAuthClientListEnvelope: Encodable {
    public var oauthClients: [OAuthClientWire]

    public init(oauthClients: [OAuthClientWire]) {
        self.oauthClients = oauthClients
    }
}
