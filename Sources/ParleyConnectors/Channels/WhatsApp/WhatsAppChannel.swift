import ParleyDomain

/// WhatsApp through Meta's Cloud API: out by `POST {phoneNumberId}/messages`, in by the WhatsApp
/// Business Account's webhook at `…/inbound/webhook` (Meta's subscription handshake on GET; every
/// POST signed with `X-Hub-Signature-256` under the Meta app's secret).
///
/// The spec's fields (`hsmFallbackLanguage`, `accountId`, `accountManagementAccessToken`,
/// `phoneNumber`) name a Business Account and its token; the Cloud API also needs the sending
/// number's id and the app secret, which Parley adds (`phoneNumberId`, `appSecret`), with the
/// generated `webhookVerifyToken` for the dashboard (docs/DECISIONS.md, "WhatsApp").
struct WhatsAppChannel: Channel {
    let type = "whatsapp"

    let api = ChannelAPI(
        variable: "PARLEY_WHATSAPP_API_URL", defaultURL: "https://graph.facebook.com/v21.0", summary: "Meta's Graph API for the WhatsApp Cloud API")

    let integrationFields: [IntegrationField] = [
        .field("hsmFallbackLanguage", .string(), updatable: true, nullable: true, default: .string("en_US")),
        .field("accountId", .string(), updatable: true, nullable: true),
        .field("accountManagementAccessToken", .string(), .secret, updatable: true, nullable: true),
        .field("phoneNumber", .string(), .serverSet),
        .field("phoneNumberId", .string(minLength: 1)),
        .field("appSecret", .string(minLength: 1), .secret, nullable: true),
        MetaWebhook.verifyTokenField,
    ]

    /// `matchCriteria.phoneNumber` in E.164, as the Cloud API's `to` takes it and its webhooks'
    /// `from` (digits, without the `+`) is read.
    func address(from criteria: inout JSONReader) throws -> ChannelAddress {
        try .phoneNumber(from: &criteria)
    }

    func connector(_ environment: ChannelEnvironment) -> any ChannelConnector {
        WhatsAppConnector(environment: environment)
    }

    let inboundEndpoints: Set<String> = ["webhook"]
    let readableEndpoints: Set<String> = ["webhook"]

    func receive(_ request: InboundRequest, integration: Integration, secrets: [String: String], services: ChannelServices) async throws -> InboundReply {
        try await WhatsAppInbox(services: services, apiBaseURL: services.apiBaseURL(of: self))
            .receive(request, integration: integration, secrets: secrets)
    }

    /// With a token and a number id, the number must be one the Cloud API knows: its
    /// `display_phone_number` fills `phoneNumber`. Without them the integration is only stored,
    /// as the spec allows (it requires none of its fields), and carries nothing until re-created.
    func register(_ integration: Integration, secrets: [String: String], environment: ChannelEnvironment) async throws -> [String: JSONValue] {
        guard let token = secrets["accountManagementAccessToken"], let numberId = integration.textSetting("phoneNumberId") else { return [:] }
        let graph = GraphAPI(client: environment.client, baseURL: environment.apiBaseURL, accessToken: token)
        guard graph.hasPlausibleToken else {
            throw ParleyError.badRequest("accountManagementAccessToken is not an access token Meta could have issued")
        }
        let answer: GraphAnswer
        do {
            answer = try await graph.get(FormEncoding.pathSegment(numberId), query: "fields=display_phone_number,verified_name")
        } catch {
            throw ParleyError(kind: .unavailable, code: "service_unavailable", title: "The WhatsApp Cloud API could not be reached to check phoneNumberId")
        }
        guard answer.succeeded, let display = answer.text("display_phone_number") else {
            throw ParleyError.badRequest("The WhatsApp Cloud API refused phoneNumberId \(numberId) with this accountManagementAccessToken: \(answer.problem)")
        }
        let international = display.hasPrefix("+") ? display : "+" + display
        return ["phoneNumber": .string((try? PhoneNumber.normalized(international, field: "display_phone_number")) ?? display)]
    }
}
