import ParleyDomain

/// A client on the wire, as CreateClient, ListClients and the `client:*` and `user:merge`
/// payloads show it; unset optional fields are left out.
public enum ClientJSON {
    public static func render(_ client: Client) -> JSONValue {
        var json: [String: JSONValue] = [
            "id": .string(client.id.rawValue), "type": .string(client.type), "status": .string(client.status.rawValue),
        ]
        // The spec: an `sdk` client spans the user's SDK integrations; its devices name them.
        if client.type != Client.sdkType {
            json["integrationId"] = .string(client.integrationId.rawValue)
            json["externalId"] = .string(client.externalId)
        }
        if let displayName = client.displayName { json["displayName"] = .string(displayName) }
        if let linkedAt = client.linkedAt { json["linkedAt"] = .string(linkedAt.iso8601) }
        if let lastSeen = client.lastSeen { json["lastSeen"] = .string(lastSeen.iso8601) }
        return .object(json)
    }
}
