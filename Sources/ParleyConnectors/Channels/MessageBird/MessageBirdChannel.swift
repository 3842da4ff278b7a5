import Crypto
import Foundation
import ParleyDomain

/// A MessageBird number, as Sunshine Conversations integrates it: `originator` is the SMS number
/// (`12262121021`), messages go out by MessageBird's SMS API (`POST {base}/messages`), users'
/// SMS come in from a Flow Builder "Forward to URL" step posting JSON to
/// `…/inbound/webhook?secret={webhookSecret}`, and MessageBird's status reports of the sent SMS
/// come to the same URL (their `reportUrl`) as GETs. An `originator` that is no phone number is a
/// Conversations API channel ID instead: out by `POST /v1/send` on the Conversations host, in by
/// the Conversations webhook at the same URL. MessageBird signs every call with the account's
/// signing key (`MessageBird-Signature-JWT`).
struct MessageBirdChannel: Channel {
    let type = "messagebird"

    let api = ChannelAPI(
        variable: "PARLEY_MESSAGEBIRD_API_URL", defaultURL: "https://rest.messagebird.com",
        summary: "MessageBird's REST API (SMS); its Conversations API is the same URL with `conversations.` for `rest.`")

    let integrationFields: [IntegrationField] = [
        .field("accessKey", .string(minLength: 1), .secret, required: true, nullable: true),
        .field("signingKey", .string(minLength: 1), .secret, required: true, nullable: true),
        .field("originator", .string(minLength: 1), required: true),
        .field("webhookSecret", .string(), .generated),
    ]

    /// `matchCriteria.phoneNumber` in E.164, as the sender of the user's messages is read.
    func address(from criteria: inout JSONReader) throws -> ChannelAddress {
        try .phoneNumber(from: &criteria)
    }

    func connector(_ environment: ChannelEnvironment) -> any ChannelConnector {
        MessageBirdConnector(environment: environment)
    }

    let inboundEndpoints: Set<String> = ["webhook"]
    /// MessageBird reports an SMS's fate by GET on its `reportUrl`, the webhook URL.
    let readableEndpoints: Set<String> = ["webhook"]

    func receive(_ request: InboundRequest, integration: Integration, secrets: [String: String], services: ChannelServices) async throws -> InboundReply {
        try await MessageBirdInbox(services: services).receive(request, integration: integration, secrets: secrets)
    }

    /// The originator as an SMS number in E.164 (`12262121021` → `+12262121021`), or nil when it
    /// is a Conversations channel ID.
    static func smsNumber(_ originator: String?) -> String? {
        originator.flatMap(MessageBirdInbox.phoneNumber)
    }

    /// Where the Conversations API is: MessageBird's own host beside the REST API's, else (a proxy,
    /// a stand-in) the configured URL itself, which then serves both.
    static func conversationsBaseURL(_ apiBaseURL: String) -> String {
        apiBaseURL.replacingOccurrences(of: "://rest.messagebird.com", with: "://conversations.messagebird.com")
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
