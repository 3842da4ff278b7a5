import ParleyDomain

/// SMS and MMS through Twilio: out by its Messages API, in by the number's (or messaging
/// service's) incoming-message webhook at `…/inbound/message` and the status callbacks Parley
/// asks for at `…/inbound/status`, both signed with `X-Twilio-Signature`.
struct TwilioChannel: Channel {
    let type = "twilio"

    let api = ChannelAPI(variable: "PARLEY_TWILIO_API_URL", defaultURL: "https://api.twilio.com", summary: "Twilio's REST API (SMS and MMS)")

    let integrationFields: [IntegrationField] = [
        .field("accountSid", .string(), required: true),
        .field("authToken", .string(minLength: 1), .secret, required: true, nullable: true),
        .field("phoneNumberSid", .string(minLength: 1)),
        .field("messagingServiceSid", .string(minLength: 1)),
    ]

    /// The spec: "One of `messagingServiceSid` or `phoneNumberSid` must be provided".
    func checkIntegration(settings: [String: JSONValue]) throws {
        if settings["phoneNumberSid"] == nil, settings["messagingServiceSid"] == nil {
            throw ParleyError.badRequest("One of phoneNumberSid or messagingServiceSid must be provided")
        }
    }

    /// `matchCriteria.phoneNumber` in E.164, as Twilio's `From` spells the user's replies.
    func address(from criteria: inout JSONReader) throws -> ChannelAddress {
        try .phoneNumber(from: &criteria)
    }

    func connector(_ environment: ChannelEnvironment) -> any ChannelConnector {
        TwilioConnector(environment: environment)
    }

    let inboundEndpoints: Set<String> = ["message", "status"]

    func receive(_ request: InboundRequest, integration: Integration, secrets: [String: String], services: ChannelServices) async throws -> InboundReply {
        try await TwilioInbox(services: services).receive(request, integration: integration, secrets: secrets)
    }
}
