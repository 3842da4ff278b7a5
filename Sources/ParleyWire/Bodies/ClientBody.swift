import ParleyDomain

/// CreateClient's body (`clientCreate`) into a `ClientDraft`: `matchCriteria`, `confirmation`
/// and `target` required, each read with the API's rules so a 400 names the field by its path.
public struct ClientBody: Decodable {
    public var draft: ClientDraft

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue.requestObject(from: decoder)
        var body = try JSONReader(value, path: "")
        var criteria = try body.requireObject("matchCriteria")
        var confirmation = try body.requireObject("confirmation")
        var target = try body.requireObject("target")
        guard let type = try criteria.string("type", required: true), ClientService.linkableTypes.contains(type) else {
            throw ParleyError.badRequest("matchCriteria.type must be one of \(ClientService.linkableTypes.joined(separator: ", "))")
        }
        draft = ClientDraft(
            type: type, integrationId: try criteria.requireString("integrationId"), primary: try criteria.bool("primary") ?? true,
            matchCriteria: .object(criteria.object),
            confirmation: try confirmation.requireCase("type", [Client.Confirmation.immediate, .userActivity, .prompt]),
            confirmationMessage: try confirmation.object("message").map { .object($0.object) },
            targetConversationId: try target.requireString("conversationId"))
    }
}
