import Hummingbird
import ParleyDomain
import ParleyWire

/// Every operation of the Sunshine Conversations v2 API: its method, path and the key scopes it
/// accepts. Routes are registered from this table, so an operation Parley does not implement yet
/// still answers (501 in the API's envelope) and a wrong method on a known path answers 405.
public struct Operation: Hashable, Sendable {
    public let id: String
    public let method: HTTPRequest.Method
    /// Hummingbird path syntax (`:appId`).
    public let path: String
    public let scopes: Set<KeyScope>

    init(_ id: String, _ method: HTTPRequest.Method, _ path: String, _ scopes: Set<KeyScope>) {
        self.id = id
        self.method = method
        self.path = path
        self.scopes = scopes
    }

    /// Operations outside `/v2/apps` that take no API key (the OAuth flow).
    var isPublic: Bool { scopes.isEmpty }
}

extension Operation {
    private static let app = "/v2/apps/:appId"
    private static let conversation = "\(app)/conversations/:conversationId"
    private static let integration = "\(app)/integrations/:integrationId"
    private static let switchboard = "\(app)/switchboards/:switchboardId"
    // One parameter name per path position: the router's trie cannot tell two names apart.
    private static let user = "\(app)/users/:userIdOrExternalId"

    private static let accountOnly: Set<KeyScope> = [.account]
    private static let accountOrApp: Set<KeyScope> = [.account, .app]
    private static let anyKey: Set<KeyScope> = [.account, .app, .integration]

    static let createApp = Operation("CreateApp", .post, "/v2/apps", accountOnly)
    static let listApps = Operation("ListApps", .get, "/v2/apps", accountOnly)
    static let getApp = Operation("GetApp", .get, app, accountOrApp)
    static let updateApp = Operation("UpdateApp", .patch, app, accountOrApp)
    static let deleteApp = Operation("DeleteApp", .delete, app, accountOnly)

    static let createAppKey = Operation("CreateAppKey", .post, "\(app)/keys", accountOnly)
    static let listAppKeys = Operation("ListAppKeys", .get, "\(app)/keys", accountOnly)
    static let getAppKey = Operation("GetAppKey", .get, "\(app)/keys/:keyId", accountOnly)
    static let deleteAppKey = Operation("DeleteAppKey", .delete, "\(app)/keys/:keyId", accountOnly)

    static let createUser = Operation("CreateUser", .post, "\(app)/users", anyKey)
    static let listUsers = Operation("ListUsers", .get, "\(app)/users", anyKey)
    static let getUser = Operation("GetUser", .get, user, anyKey)
    static let updateUser = Operation("UpdateUser", .patch, user, anyKey)
    static let deleteUser = Operation("DeleteUser", .delete, user, anyKey)
    static let deleteUserPersonalInformation = Operation("DeleteUserPersonalInformation", .delete, "\(user)/personalinformation", anyKey)

    static let createClient = Operation("CreateClient", .post, "\(user)/clients", anyKey)
    static let listClients = Operation("ListClients", .get, "\(user)/clients", anyKey)
    static let removeClient = Operation("RemoveClient", .delete, "\(user)/clients/:clientId", anyKey)
    static let listDevices = Operation("ListDevices", .get, "\(user)/devices", anyKey)
    static let getDevice = Operation("GetDevice", .get, "\(user)/devices/:deviceId", anyKey)

    static let createConversation = Operation("CreateConversation", .post, "\(app)/conversations", anyKey)
    static let listConversations = Operation("ListConversations", .get, "\(app)/conversations", anyKey)
    static let getConversation = Operation("GetConversation", .get, conversation, anyKey)
    static let updateConversation = Operation("UpdateConversation", .patch, conversation, anyKey)
    static let deleteConversation = Operation("DeleteConversation", .delete, conversation, anyKey)
    static let joinConversation = Operation("JoinConversation", .post, "\(conversation)/join", anyKey)
    static let listParticipants = Operation("ListParticipants", .get, "\(conversation)/participants", anyKey)
    static let leaveConversation = Operation("LeaveConversation", .post, "\(conversation)/leave", anyKey)
    static let postMessage = Operation("PostMessage", .post, "\(conversation)/messages", anyKey)
    static let listMessages = Operation("ListMessages", .get, "\(conversation)/messages", anyKey)
    static let deleteAllMessages = Operation("DeleteAllMessages", .delete, "\(conversation)/messages", anyKey)
    static let deleteMessage = Operation("DeleteMessage", .delete, "\(conversation)/messages/:messageId", anyKey)
    static let postActivity = Operation("PostActivity", .post, "\(conversation)/activity", anyKey)

    static let uploadAttachment = Operation("UploadAttachment", .post, "\(app)/attachments", anyKey)
    static let deleteAttachment = Operation("DeleteAttachment", .post, "\(app)/attachments/remove", anyKey)

    static let passControl = Operation("PassControl", .post, "\(conversation)/passControl", anyKey)
    static let releaseControl = Operation("ReleaseControl", .post, "\(conversation)/releaseControl", anyKey)
    static let offerControl = Operation("OfferControl", .post, "\(conversation)/offerControl", anyKey)
    static let acceptControl = Operation("AcceptControl", .post, "\(conversation)/acceptControl", anyKey)

    static let createSwitchboard = Operation("CreateSwitchboard", .post, "\(app)/switchboards", accountOrApp)
    static let listSwitchboards = Operation("ListSwitchboards", .get, "\(app)/switchboards", accountOrApp)
    static let updateSwitchboard = Operation("UpdateSwitchboard", .patch, switchboard, accountOrApp)
    static let deleteSwitchboard = Operation("DeleteSwitchboard", .delete, switchboard, accountOrApp)
    static let createSwitchboardIntegration = Operation("CreateSwitchboardIntegration", .post, "\(switchboard)/switchboardIntegrations", accountOrApp)
    static let listSwitchboardIntegrations = Operation("ListSwitchboardIntegrations", .get, "\(switchboard)/switchboardIntegrations", accountOrApp)
    static let updateSwitchboardIntegration = Operation(
        "UpdateSwitchboardIntegration", .patch, "\(switchboard)/switchboardIntegrations/:switchboardIntegrationId", accountOrApp)
    static let deleteSwitchboardIntegration = Operation(
        "DeleteSwitchboardIntegration", .delete, "\(switchboard)/switchboardIntegrations/:switchboardIntegrationId", accountOrApp)

    static let createIntegration = Operation("CreateIntegration", .post, "\(app)/integrations", accountOrApp)
    static let listIntegrations = Operation("ListIntegrations", .get, "\(app)/integrations", accountOrApp)
    static let getIntegration = Operation("GetIntegration", .get, integration, accountOrApp)
    static let updateIntegration = Operation("UpdateIntegration", .patch, integration, accountOrApp)
    static let deleteIntegration = Operation("DeleteIntegration", .delete, integration, accountOrApp)

    static let createCustomIntegrationKey = Operation("CreateCustomIntegrationKey", .post, "\(integration)/keys", accountOrApp)
    static let listCustomIntegrationKeys = Operation("ListCustomIntegrationKeys", .get, "\(integration)/keys", accountOrApp)
    static let getCustomIntegrationKey = Operation("GetCustomIntegrationKey", .get, "\(integration)/keys/:keyId", accountOrApp)
    static let deleteCustomIntegrationKey = Operation("DeleteCustomIntegrationKey", .delete, "\(integration)/keys/:keyId", accountOrApp)
    // The spec lists app and integration scopes; its introduction grants account keys every method,
    // so they are accepted too (docs/DECISIONS.md).
    static let createWebhook = Operation("CreateWebhook", .post, "\(integration)/webhooks", anyKey)
    static let listWebhooks = Operation("ListWebhooks", .get, "\(integration)/webhooks", anyKey)
    static let getWebhook = Operation("GetWebhook", .get, "\(integration)/webhooks/:webhookId", anyKey)
    static let updateWebhook = Operation("UpdateWebhook", .patch, "\(integration)/webhooks/:webhookId", anyKey)
    static let deleteWebhook = Operation("DeleteWebhook", .delete, "\(integration)/webhooks/:webhookId", anyKey)

    static let downloadMessageRef = Operation("DownloadMessageRef", .post, "\(conversation)/download", anyKey)
    static let postConversionEvents = Operation("PostConversionEvents", .post, "\(conversation)/conversionEvents", anyKey)
    static let syncUser = Operation("SyncUser", .post, "\(user)/sync", anyKey)

    // The spec gives GetTokenInfo no security, yet it describes "the credential in use"; RevokeAccess
    // lists integration scope, yet Parley's access tokens are app keys. Both take any key and decide
    // in the handler (docs/DECISIONS.md "OAuth").
    static let getTokenInfo = Operation("GetTokenInfo", .get, "/v2/tokenInfo", anyKey)
    static let authorize = Operation("Authorize", .get, "/oauth/authorize", [])
    static let getToken = Operation("GetToken", .post, "/oauth/token", [])
    static let revokeAccess = Operation("RevokeAccess", .delete, "/oauth/authorization", anyKey)

    // Parley's own extensions: not in the spec, so not in `all`.
    static let listWebhookDeliveries = Operation("ListWebhookDeliveries", .get, "\(integration)/webhooks/:webhookId/deliveries", anyKey)
    static let redeliverWebhookEvents = Operation("RedeliverWebhookEvents", .post, "\(integration)/webhooks/:webhookId/redeliver", anyKey)

    /// All 68, in the order the spec's reference lists them by tag.
    public static let all: [Operation] = [
        createApp, listApps, getApp, updateApp, deleteApp,
        createAppKey, listAppKeys, getAppKey, deleteAppKey,
        uploadAttachment, deleteAttachment,
        createConversation, listConversations, getConversation, updateConversation, deleteConversation,
        joinConversation, listParticipants, leaveConversation,
        postMessage, listMessages, deleteAllMessages, deleteMessage, postActivity,
        passControl, releaseControl, offerControl, acceptControl,
        downloadMessageRef, postConversionEvents,
        createIntegration, listIntegrations, getIntegration, updateIntegration, deleteIntegration,
        createCustomIntegrationKey, listCustomIntegrationKeys, getCustomIntegrationKey, deleteCustomIntegrationKey,
        createWebhook, listWebhooks, getWebhook, updateWebhook, deleteWebhook,
        createSwitchboard, listSwitchboards, updateSwitchboard, deleteSwitchboard,
        createSwitchboardIntegration, listSwitchboardIntegrations, updateSwitchboardIntegration, deleteSwitchboardIntegration,
        createUser, listUsers, getUser, updateUser, deleteUser,
        createClient, listClients, removeClient, listDevices, getDevice,
        deleteUserPersonalInformation,
        syncUser, getTokenInfo, authorize, getToken, revokeAccess,
    ]
}
