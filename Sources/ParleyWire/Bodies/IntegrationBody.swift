import ParleyDomain

/// CreateIntegration's and UpdateIntegration's body into an `IntegrationDraft`: `type`, and a
/// custom integration's one webhook (`webhooks`, exactly one) read as `WebhookBody`s at
/// `webhooks[i]`; the type's fields are left for `IntegrationService` to read by the type's list.
public struct IntegrationBody: Decodable {
    public var draft: IntegrationDraft

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue.requestObject(from: decoder)
        var reader = try JSONReader(value, path: "")
        let type = try reader.string("type")
        var webhooks: [WebhookDraft]?
        if type == "custom", reader.object["webhooks"] != nil {
            webhooks = try reader.requireArray("webhooks", count: 1...1).enumerated().map { index, webhook in
                try WebhookBody(json: webhook, path: "webhooks[\(index)]").draft
            }
        }
        draft = IntegrationDraft(type: type, fields: value, webhooks: webhooks)
    }
}
