import Crypto
import Foundation
import ParleyDomain

/// SMS and WhatsApp through MessageBird's Conversations API: out by `POST {base}/v1/send` from the
/// integration's channel (`originator`), in by the Conversations webhook at
/// `…/inbound/webhook?secret={webhookSecret}`, which MessageBird signs with the account's signing
/// key (`MessageBird-Signature-JWT`). The same URL is each message's `reportUrl`, so delivery
/// statuses come in there too.
struct MessageBirdChannel: Channel {
    let type = "messagebird"

    let api = ChannelAPI(
        variable: "PARLEY_MESSAGEBIRD_API_URL", defaultURL: "https://conversations.messagebird.com",
        summary: "MessageBird's Conversations API (SMS, WhatsApp)")

    let integrationFields: [IntegrationField] = [
        .field("accessKey", .string(minLength: 1), .secret, required: true, nullable: true),
        .field("signingKey", .string(minLength: 1), .secret, required: true, nullable: true),
        .field("originator", .string(minLength: 1), required: true),
        .field("webhookSecret", .string(), .generated),
    ]

    /// `matchCriteria.phoneNumber` in E.164, as the sender of the user's messages is read.
    func address(from criteria: inout JSONReader) throws -> ChannelAddress {
        let number = try criteria.requireString("phoneNumber")
        return ChannelAddress(externalId: try PhoneNumber.normalized(number, field: criteria.name("phoneNumber")))
    }

    func connector(_ environment: ChannelEnvironment) -> any ChannelConnector {
        MessageBirdConnector(environment: environment)
    }

    let inboundEndpoints: Set<String> = ["webhook"]

    func receive(_ request: InboundRequest, integration: Integration, secrets: [String: String], services: ChannelServices) async throws -> InboundReply {
        try await MessageBirdInbox(services: services).receive(request, integration: integration, secrets: secrets)
    }

    /// The URL MessageBird is given, for the webhook and as each message's `reportUrl`: the
    /// integration's endpoint with its `webhookSecret` as `secret`.
    static func webhookURL(publicBaseURL: String, appId: ResourceID, integrationId: ResourceID, webhookSecret: String) -> String {
        "\(publicBaseURL)/v2/apps/\(appId)/integrations/\(integrationId)/inbound/webhook?secret=\(webhookSecret)"
    }

    /// Whether `given` is the integration's `webhookSecret`, compared in constant time.
    static func isWebhookSecret(_ given: String?, of integration: Integration) -> Bool {
        guard let given, let expected = integration.textSetting("webhookSecret") else { return false }
        // swift-crypto compares digests in constant time.
        return SHA256.hash(data: Data(given.utf8)) == SHA256.hash(data: Data(expected.utf8))
    }
}
