import ParleyDomain

/// Email through Mailgun: out by its messages API, in by a route's forward (`…/inbound/messages`)
/// and its event webhooks (`…/inbound/events`), both signed with the integration's signing key.
struct MailgunChannel: Channel {
    let type = "mailgun"

    let api = ChannelAPI(
        variable: "PARLEY_MAILGUN_API_URL", defaultURL: "https://api.mailgun.net", summary: "Mailgun's API (https://api.eu.mailgun.net for EU domains)")

    let integrationFields: [IntegrationField] = [
        .field("apiKey", .string(minLength: 1), .secret, required: true, nullable: true),
        .field("domain", .string(minLength: 1), required: true),
        .field("incomingAddress", .string(minLength: 1), required: true),
        .field("signingKey", .string(minLength: 1), .secret),
        .field("hideUnsubscribeLink", .bool, updatable: true),
        .field("fromAddress", .string(minLength: 1), updatable: true, nullable: true),
    ]

    /// `matchCriteria.address`, and the `subject` of the emails (the spec's default when absent).
    func address(from criteria: inout JSONReader) throws -> ChannelAddress {
        let address = try criteria.requireString("address")
        try Rules.email(address, field: criteria.name("address"))
        // Mail systems treat addresses case-insensitively in practice; one spelling lets inbound mail match.
        let subject = try criteria.string("subject", length: 1...998) ?? "New message from {appName}"
        return ChannelAddress(externalId: address.lowercased(), subject: subject)
    }

    func connector(_ environment: ChannelEnvironment) -> any ChannelConnector {
        MailgunConnector(
            client: environment.client, baseURL: environment.apiBaseURL, publicBaseURL: environment.publicBaseURL, attachments: environment.attachments)
    }

    let inboundEndpoints: Set<String> = ["messages", "events"]
    /// Where an email's postback buttons lead (`MailgunPostbackLink`).
    let readableEndpoints: Set<String> = ["postback"]

    func receive(_ request: InboundRequest, integration: Integration, secrets: [String: String], services: ChannelServices) async throws -> InboundReply {
        if request.endpoint == "postback" {
            return try await MailgunPostbackPage(services: services).receive(request, integration: integration, secrets: secrets)
        }
        return try await MailgunInbox(services: services).receive(request, integration: integration, secrets: secrets)
    }
}
