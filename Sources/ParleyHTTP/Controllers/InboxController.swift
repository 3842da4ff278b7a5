import Hummingbird
import ParleyDomain
import ParleyWire

/// The agent inbox (docs/MESSENGER.md): its page at `/inbox`, the sign-in that turns an app key
/// into a session token (so the page never keeps the secret), and the conversation list the v2 API
/// has no operation for. Everything else the page does goes through the v2 API, with the session
/// as its Bearer credential.
struct InboxController {
    let inbox: InboxService
    let authenticator: Authenticator
    let sessions: SessionTokens
    let now: @Sendable () -> Timestamp

    func register(on router: Router<APIRequestContext>) {
        let inbox = self.inbox
        let authenticator = self.authenticator
        let sessions = self.sessions
        let now = self.now

        router.get("/inbox") { _, _ in try MessengerController.asset("inbox.html", frameAncestors: "'none'") }
        router.post("/inbox/sessions") { request, context in
            guard case .object(let fields) = try await RequestBodyDecoder.decodeJSON(from: request, context: context),
                case .string(let keyId)? = fields["keyId"], case .string(let secret)? = fields["secret"]
            else { throw ParleyError.badRequest("keyId and secret are required") }
            let principal = try await authenticator.signIn(keyId: keyId, secret: secret)
            guard let appId = principal.appId else { throw ParleyError.unauthorized("Sign in with an app key") }
            let expiresAt = now().millisecondsSince1970 / 1000 + SessionTokens.inboxLifetimeSeconds
            let token = try sessions.sign(.inbox(keyId: principal.keyId, appId: appId, expiresAt: expiresAt))
            let app = try await inbox.app(appId)
            return try JSONResponse.make(
                json: .object([
                    "session": .string(token), "app": .object(["id": .string(appId.rawValue), "displayName": .string(app.displayName)]),
                    "expiresAt": .string(Timestamp(millisecondsSince1970: expiresAt * 1000).iso8601),
                ]), status: .created)
        }
        router.get("/inbox/conversations") { request, context in
            let principal = try await authenticator.authenticate(authorization: request.headers[.authorization])
            guard principal.scope == .app, let appId = principal.appId else { throw ParleyError.forbidden("The inbox needs an app's session") }
            let query = QueryParameters(request)
            let offset = try query["offset"].map { text -> Int in
                guard let value = Int(text) else { throw ParleyError.badRequest("offset must be a number") }
                return value
            } ?? 0
            let (rows, hasMore) = try await inbox.conversations(appId: appId, search: query["search"], offset: offset)
            return try JSONResponse.make(
                json: .object([
                    "conversations": .array(rows.map(Self.render)), "meta": .object(["hasMore": .bool(hasMore)]),
                ]))
        }
    }

    static func render(_ row: InboxService.Row) -> JSONValue {
        let conversation = row.entry.conversation
        var fields: [String: JSONValue] = [
            "conversation": conversationJSON(conversation), "unreadCount": .integer(Int64(row.entry.unreadCount)),
            "lastActivityAt": .string(conversation.lastUpdatedAt.iso8601),
            "lastMessage": row.entry.lastMessage?.json ?? .null,
        ]
        if let user = row.user { fields["user"] = UserJSON.full(user) }
        if let channel = row.channel { fields["channel"] = .string(channel) }
        return .object(fields)
    }

    /// GetConversation's `conversation`, as a `JSONValue` to sit beside the row's other fields.
    static func conversationJSON(_ conversation: Conversation) -> JSONValue {
        (try? JSONValue.encoding(ConversationWire(conversation))) ?? ConversationJSON.truncated(conversation)
    }
}
