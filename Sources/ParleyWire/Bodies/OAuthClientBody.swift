import ParleyDomain

/// `POST /admin/oauthClients`' body: `{name, redirectUris}`; the service checks the values.
public struct OAuthClientBody: Decodable {
    public var name: String?
    public var redirectUris: [String]?

    public init(from decoder: any Decoder) throws {
        var reader = try JSONReader(try JSONValue.requestObject(from: decoder), path: "")
        name = try reader.string("name")
        redirectUris = try reader.array("redirectUris")?.map { value in
            guard case .string(let uri) = value else { throw ParleyError.badRequest("redirectUris must be an array of strings") }
            return uri
        }
    }
}
