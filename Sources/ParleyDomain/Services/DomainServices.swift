/// Every service of the domain, wired once over one store, one id source and one clock: what the
/// HTTP API, the dispatchers and the channels' inbound endpoints call.
public struct DomainServices: Sendable {
    public let apps: AppService
    public let keys: KeyService
    public let users: UserService
    public let conversations: ConversationService
    public let messages: MessageService
    public let integrations: IntegrationService
    public let webhooks: WebhookService
    public let clients: ClientService
    public let inbound: InboundService
    public let switchboards: SwitchboardService
    public let attachments: AttachmentService
    public let messenger: MessengerService
    public let inbox: InboxService
    public let idempotency: IdempotencyService
    public let export: ExportService
    public let oauth: OAuthService
    public let channelOperations: ChannelOperationsService

    /// `channels`: the channels Parley carries (the registry's list); `registrar`: what they settle
    /// with their providers when an integration is created; `conversionEvents`: where
    /// PostConversionEvents goes (the same registry); `now`: every service's clock.
    public init(
        store: any ParleyStore, sealer: any SecretSealer, ids: ResourceIDGenerator = ResourceIDGenerator(), channels: [any ChannelRules],
        registrar: (any IntegrationRegistrar)? = nil, conversionEvents: (any ConversionEventsForwarder)? = nil, attachments storage: any AttachmentStorage, attachmentRules: AttachmentRules = AttachmentRules(),
        messageLimit: Int = MessageService.defaultMessageLimit, outbound: OutboundAddressPolicy = OutboundAddressPolicy(),
        now: @escaping @Sendable () -> Timestamp = { .now() }
    ) {
        apps = AppService(store: store, ids: ids)
        keys = KeyService(store: store, apps: apps, sealer: sealer, ids: ids)
        users = UserService(store: store, ids: ids, now: now)
        conversations = ConversationService(store: store, ids: ids, now: now)
        messages = MessageService(store: store, conversations: conversations, ids: ids, messageLimit: messageLimit, now: now)
        integrations = IntegrationService(store: store, sealer: sealer, outbound: outbound, ids: ids, channels: channels, registrar: registrar)
        webhooks = WebhookService(store: store, sealer: sealer, outbound: outbound, ids: ids, now: now)
        clients = ClientService(store: store, conversations: conversations, ids: ids, linking: channels, now: now)
        switchboards = SwitchboardService(store: store, ids: ids, now: now)
        attachments = AttachmentService(store: store, storage: storage, rules: attachmentRules, now: now)
        inbound = InboundService(store: store, clients: clients, messages: messages, ids: ids, now: now)
        inbox = InboxService(store: store)
        idempotency = IdempotencyService(store: store, now: now)
        export = ExportService(store: store)
        oauth = OAuthService(store: store, apps: apps, sealer: sealer, ids: ids, now: now)
        channelOperations = ChannelOperationsService(
            store: store, conversations: conversations, integrations: integrations, forwarder: conversionEvents)
        messenger = MessengerService(store: store, users: users, conversations: conversations, messages: messages, ids: ids, now: now)
    }
}
