import Crypto
import Foundation
import ParleyDomain

/// Telegram bots: out by the Bot API (`sendMessage`, `sendPhoto`, `sendDocument`), in by the bot's
/// webhook at `…/inbound/webhook`, which Telegram signs with the secret token the webhook was set
/// with (`X-Telegram-Bot-Api-Secret-Token`).
struct TelegramChannel: Channel {
    let type = "telegram"

    let api = ChannelAPI(variable: "PARLEY_TELEGRAM_API_URL", defaultURL: "https://api.telegram.org", summary: "Telegram's Bot API")

    let integrationFields: [IntegrationField] = [
        .field("token", .string(minLength: 1), .secret, required: true, nullable: true),
        .field("username", .string(), .serverSet),
        .field("botId", .string(), .serverSet),
    ]

    /// Telegram users write to the bot first (a `t.me` link); the spec links no Telegram address.
    func address(from criteria: inout JSONReader) throws -> ChannelAddress {
        throw ParleyError.badRequest("Telegram users cannot be linked by CreateClient: they start a conversation with the bot")
    }

    func connector(_ environment: ChannelEnvironment) -> any ChannelConnector {
        TelegramConnector(environment: environment)
    }

    let inboundEndpoints: Set<String> = ["webhook"]

    func receive(_ request: InboundRequest, integration: Integration, secrets: [String: String], services: ChannelServices) async throws -> InboundReply {
        try await TelegramInbox(services: services, apiBaseURL: services.apiBaseURL(of: self))
            .receive(request, integration: integration, secrets: secrets)
    }

    /// The bot's token must be one Telegram knows (`getMe`, whose answer fills `username` and
    /// `botId`), and, with `PARLEY_PUBLIC_URL` set, the bot's webhook is set to this integration's
    /// endpoint with its secret, for the updates Parley reads. Without a public URL Telegram could
    /// not reach Parley, so no webhook is set.
    func register(_ integration: Integration, secrets: [String: String], environment: ChannelEnvironment) async throws -> [String: JSONValue] {
        guard let token = secrets["token"] else { return [:] }
        let bot = TelegramBotAPI(client: environment.client, baseURL: environment.apiBaseURL, token: token)
        let me: TelegramAnswer
        do {
            me = try await bot.call("getMe", [:]).answer
        } catch {
            throw ParleyError(kind: .unavailable, code: "service_unavailable", title: "Telegram could not be reached to check the bot token")
        }
        guard me.ok, case .object(let user)? = me.result, case .integer(let id)? = user["id"] else {
            throw ParleyError.badRequest("Telegram refused the bot token: \(me.problem ?? "no bot")")
        }
        var settings: [String: JSONValue] = ["botId": .string(String(id))]
        if case .string(let username)? = user["username"] { settings["username"] = .string(username) }
        if let base = environment.publicBaseURL {
            let url = "\(base)/v2/apps/\(integration.appId)/integrations/\(integration.id)/inbound/webhook"
            let set = try await bot.call("setWebhook", [
                "url": .string(url), "secret_token": .string(Self.webhookSecret(botToken: token)),
                "allowed_updates": .array([.string("message"), .string("callback_query")]),
            ]).answer
            guard set.ok else { throw ParleyError.badRequest("Telegram refused the webhook \(url): \(set.problem ?? "no answer")") }
        }
        return settings
    }

    /// The secret token of the bot's webhook: an HMAC under the bot's token, which only its owner
    /// and Telegram know, so nothing more is stored; 64 hex digits, within Telegram's alphabet.
    static func webhookSecret(botToken: String) -> String {
        webhookCode(botToken: botToken).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `header` is the bot's webhook secret, compared in constant time.
    static func isWebhookSecret(_ header: String?, botToken: String) -> Bool {
        guard let header, header.utf8.count == 64, let given = Hex.bytes(header) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: Self.webhookLabel, using: SymmetricKey(data: Data(botToken.utf8)))
    }

    private static let webhookLabel = Data("parley-telegram-webhook".utf8)

    private static func webhookCode(botToken: String) -> HashedAuthenticationCode<SHA256> {
        HMAC<SHA256>.authenticationCode(for: webhookLabel, using: SymmetricKey(data: Data(botToken.utf8)))
    }
}
