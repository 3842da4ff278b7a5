import ParleyDomain

/// SyncUser's optional body (`syncUserBody`): `{survivingZendeskId}`.
public struct SyncUserBody: Decodable {
    public var survivingZendeskId: String?

    public init(from decoder: any Decoder) throws {
        var reader = try JSONReader(try JSONValue.requestObject(from: decoder), path: "")
        survivingZendeskId = try reader.string("survivingZendeskId", length: 1...64)
    }
}
