import AsyncHTTPClient
import Foundation

/// A client of the Sunshine Conversations v2 REST API: Parley's, or Sunshine Conversations'
/// own, by base URL.
///
/// ```swift
/// let client = SunshineClient(baseURL: "https://parley.example.com", credentials: .basic(keyId: "app_…", secret: "…"))
/// let user = try await client.users.get(appId: appId, user: "steve")
/// ```
///
/// Operations are grouped by resource (``apps``, ``users``, ``messages``…), one typed `async`
/// method per operation of the spec. Every call throws ``SunshineClientError``; connection
/// failures, `429` and `5xx` are retried first (``RetryPolicy``), POSTs under one
/// `Idempotency-Key` per call so a retry never writes twice. The client holds no state but its
/// configuration: it is `Sendable`, and one can be shared by a whole process.
public struct SunshineClient: Sendable {
    let transport: Transport

    /// - Parameters:
    ///   - baseURL: The API's root, without `/v2`: `https://parley.example.com`, or
    ///     `https://{subdomain}.zendesk.com/sc`, `https://api.smooch.io`.
    ///   - credentials: An API key (Basic or JWT) or an OAuth access token.
    ///   - httpClient: The AsyncHTTPClient to send with; the shared one by default. The caller
    ///     owns it (the client never shuts it down).
    ///   - retry: When to try again; ``RetryPolicy/default``: 3 attempts.
    ///   - timeout: The longest one attempt may take, answer included.
    public init(
        baseURL: String, credentials: Credentials, httpClient: HTTPClient = .shared, retry: RetryPolicy = .default,
        timeout: Duration = .seconds(30)
    ) {
        transport = Transport(baseURL: baseURL, credentials: credentials, httpClient: httpClient, retry: retry, timeout: timeout)
    }

    /// The same, with the base URL as a `URL`.
    public init(
        baseURL: URL, credentials: Credentials, httpClient: HTTPClient = .shared, retry: RetryPolicy = .default, timeout: Duration = .seconds(30)
    ) {
        self.init(baseURL: baseURL.absoluteString, credentials: credentials, httpClient: httpClient, retry: retry, timeout: timeout)
    }

    /// The base URL requests go to (without a trailing `/`).
    public var baseURL: String { transport.baseURL }

    /// Apps (account keys).
    public var apps: AppsAPI { AppsAPI(transport: transport) }
    /// App keys (account keys).
    public var appKeys: AppKeysAPI { AppKeysAPI(transport: transport) }
    /// Users.
    public var users: UsersAPI { UsersAPI(transport: transport) }
    /// A user's clients: channel links.
    public var clients: ClientsAPI { ClientsAPI(transport: transport) }
    /// A user's SDK devices.
    public var devices: DevicesAPI { DevicesAPI(transport: transport) }
    /// Conversations.
    public var conversations: ConversationsAPI { ConversationsAPI(transport: transport) }
    /// A conversation's participants.
    public var participants: ParticipantsAPI { ParticipantsAPI(transport: transport) }
    /// A conversation's messages.
    public var messages: MessagesAPI { MessagesAPI(transport: transport) }
    /// Read receipts and typing indicators.
    public var activity: ActivityAPI { ActivityAPI(transport: transport) }
    /// File uploads.
    public var attachments: AttachmentsAPI { AttachmentsAPI(transport: transport) }
    /// Integrations: channels, SDKs, custom integrations.
    public var integrations: IntegrationsAPI { IntegrationsAPI(transport: transport) }
    /// Custom integrations' API keys.
    public var integrationKeys: IntegrationKeysAPI { IntegrationKeysAPI(transport: transport) }
    /// Custom integrations' webhooks.
    public var webhooks: WebhooksAPI { WebhooksAPI(transport: transport) }
    /// The app's switchboard.
    public var switchboards: SwitchboardsAPI { SwitchboardsAPI(transport: transport) }
    /// The switchboard's integrations.
    public var switchboardIntegrations: SwitchboardIntegrationsAPI { SwitchboardIntegrationsAPI(transport: transport) }
    /// Passing, offering, accepting and releasing control of a conversation.
    public var switchboardActions: SwitchboardActionsAPI { SwitchboardActionsAPI(transport: transport) }
    /// The OAuth flow: authorize URL, token, token info, revoke.
    public var oauth: OAuthAPI { OAuthAPI(transport: transport) }
    /// Parley's OAuth clients (account keys; a Parley extension).
    public var oauthClients: OAuthClientsAPI { OAuthClientsAPI(transport: transport) }
}
