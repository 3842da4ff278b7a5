import Foundation
import Hummingbird
import ParleyDomain
import ParleyWeb
import ParleyWire

/// The web messenger (docs/MESSENGER.md): its files, its page at `/web/{integrationId}`, and the
/// calls it makes under that path, in the name of the person using it. No API key: a session
/// token Parley signed (`SessionTokens`) is the credential.
struct MessengerController {
    let messenger: MessengerService
    let attachments: AttachmentService
    let authenticator: Authenticator
    let sessions: SessionTokens
    let publicBaseURL: String?
    let now: @Sendable () -> Timestamp

    func register(on router: Router<APIRequestContext>) {
        let messenger = self.messenger
        let attachments = self.attachments
        let authenticator = self.authenticator
        let sessions = self.sessions
        let now = self.now
        let publicBaseURL = self.publicBaseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        @Sendable func base(_ request: Request) -> String { publicBaseURL ?? "http://\(request.head.authority ?? "localhost")" }

        /// The session the request's Bearer token names, for the integration of its path.
        @Sendable func session(_ request: Request, _ context: APIRequestContext) throws -> WebSession {
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
                let claims = sessions.verify(String(header.dropFirst("Bearer ".count)), now: now()), let session = claims.webSession,
                session.integrationId.rawValue == context.parameters.get("integrationId")
            else { throw ParleyError.unauthorized("A messenger session is required") }
            return session
        }
        @Sendable func integrationId(_ context: APIRequestContext) -> String { context.parameters.get("integrationId") ?? "" }
        @Sendable func conversationId(_ context: APIRequestContext) -> String { context.parameters.get("conversationId") ?? "" }
        @Sendable func started(_ started: MessengerSession, status: HTTPResponse.Status) throws -> Response {
            try JSONResponse.make(
                json: .object([
                    "session": .string(try sessions.sign(.web(started.session))), "user": UserJSON.full(started.user),
                    "client": ClientJSON.render(started.client), "device": DeviceJSON.render(started.device),
                ]), status: status)
        }

        router.get("/messenger.js") { _, _ in try Self.asset("messenger.js", frameAncestors: nil) }
        router.get("/assets/:name") { _, context in try Self.asset(context.parameters.get("name") ?? "", frameAncestors: nil) }

        router.get("/web/:integrationId") { _, context in
            let page = try await messenger.page(integrationId: integrationId(context))
            return try Self.asset("messenger.html", frameAncestors: Self.frameAncestors(page.integration))
        }
        router.get("/web/:integrationId/config") { _, context in
            let page = try await messenger.page(integrationId: integrationId(context))
            var response = try JSONResponse.make(
                json: .object(["integration": Self.config(page.integration), "app": .object(["displayName": .string(page.app.displayName)])]))
            // Read by the embed script on the host page, another origin; it holds nothing secret.
            response.headers[.accessControlAllowOrigin] = "*"
            return response
        }
        router.post("/web/:integrationId/sessions") { request, context in
            let body = try await RequestBodyDecoder.decodeJSON(from: request, context: context)
            let page = try await messenger.page(integrationId: integrationId(context))
            guard case .object(let fields) = body, case .object(let device)? = fields["device"], case .string(let guid)? = device["guid"] else {
                throw ParleyError.badRequest("device.guid is required")
            }
            var externalId: String?
            switch fields["jwt"] {
            case .string(let jwt)?: externalId = try await authenticator.verifyUserJWT(jwt, appId: page.app.id)
            case nil, .null?: break
            default: throw ParleyError.badRequest("jwt must be a string")
            }
            return try started(
                try await messenger.startSession(integrationId: integrationId(context), guid: guid, info: device["info"], externalId: externalId),
                status: .created)
        }
        router.get("/web/:integrationId/session") { request, context in
            try started(try await messenger.resume(try session(request, context)), status: .ok)
        }
        router.get("/web/:integrationId/conversations") { request, context in
            let conversations = try await messenger.conversations(try session(request, context))
            return try JSONResponse.make(MessengerConversations(conversations: conversations.map(ConversationWire.init)))
        }
        router.post("/web/:integrationId/conversations") { request, context in
            let session = try session(request, context)
            let body = try await RequestBodyDecoder.decodeIfPresent(JSONValue.self, from: request, context: context)
            var displayName: String?
            if case .object(let fields)? = body, case .string(let name)? = fields["displayName"] { displayName = name }
            let conversation = try await messenger.createConversation(session, displayName: displayName)
            return try JSONResponse.make(ConversationEnvelope(conversation: ConversationWire(conversation)), status: .created)
        }
        router.get("/web/:integrationId/conversations/:conversationId/messages") { request, context in
            let (page, seq) = try await messenger.messages(
                try session(request, context), conversationId: conversationId(context), before: QueryParameters(request)["before"])
            return try JSONResponse.make(
                json: .object([
                    "messages": .array(page.items.map(\.json)), "meta": .object(["hasMore": .bool(page.hasPrevious)]), "seq": .integer(seq),
                ]))
        }
        router.post("/web/:integrationId/conversations/:conversationId/messages") { request, context in
            let session = try session(request, context)
            guard case .object(let fields) = try await RequestBodyDecoder.decodeJSON(from: request, context: context) else {
                throw ParleyError.badRequest("The body must be an object")
            }
            let posted = try await messenger.post(session, conversationId: conversationId(context), content: fields["content"], metadata: fields["metadata"])
            return try JSONResponse.make(json: .object(["messages": .array(posted.map(\.json))]), status: .created)
        }
        router.post("/web/:integrationId/conversations/:conversationId/activity") { request, context in
            let session = try session(request, context)
            guard case .object(let fields) = try await RequestBodyDecoder.decodeJSON(from: request, context: context) else {
                throw ParleyError.badRequest("The body must be an object")
            }
            var type: String?
            if case .string(let text)? = fields["type"] { type = text }
            try await messenger.activity(session, conversationId: conversationId(context), type: type)
            return try JSONResponse.empty()
        }
        router.post("/web/:integrationId/conversations/:conversationId/postback") { request, context in
            let session = try session(request, context)
            guard case .object(let fields) = try await RequestBodyDecoder.decodeJSON(from: request, context: context) else {
                throw ParleyError.badRequest("The body must be an object")
            }
            var payload: String?
            if case .string(let text)? = fields["payload"] { payload = text }
            try await messenger.postback(session, conversationId: conversationId(context), payload: payload, metadata: fields["metadata"])
            return try JSONResponse.empty()
        }
        router.post("/web/:integrationId/attachments") { request, context in
            let session = try await messenger.resume(try session(request, context)).session
            var upload = try await attachments.upload(appId: session.appId, access: "public", for: "message", conversationId: nil)
            return try await AttachmentsController.receive(&upload, from: request, base: base(request), rules: attachments.rules)
        }
    }

    /// A file of the pages, with headers that keep it from being framed where it should not be.
    /// `frameAncestors`: where the page may be embedded (nil: these files are not pages).
    static func asset(_ name: String, frameAncestors: String?) throws -> Response {
        guard let asset = WebAssets.named(name) else { throw ParleyError(kind: .notFound, code: "not_found", title: "No such file") }
        var headers: HTTPFields = [.contentType: asset.contentType, .xContentTypeOptions: "nosniff", .cacheControl: "no-cache"]
        if let frameAncestors {
            headers[.contentSecurityPolicy] =
                "default-src 'self'; img-src * data: blob:; media-src * blob:; style-src 'self' 'unsafe-inline'; frame-ancestors \(frameAncestors)"
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }

    /// `originWhitelist`, as the pages that may embed the messenger (every page when it is empty):
    /// the browser enforces it on the messenger's page, which is where sessions start.
    static func frameAncestors(_ integration: Integration) -> String {
        let origins = allowedOrigins(integration)
        return origins.isEmpty ? "*" : origins.joined(separator: " ")
    }

    static func allowedOrigins(_ integration: Integration) -> [String] {
        guard case .array(let values)? = integration.settings["originWhitelist"] else { return [] }
        return values.compactMap { value in
            guard case .string(let origin) = value, !origin.contains(where: { $0 == " " || $0 == ";" || $0 == "'" }) else { return nil }
            return origin
        }
    }

    /// The settings a messenger draws itself with.
    static func config(_ integration: Integration) -> JSONValue {
        var fields: [String: JSONValue] = ["id": .string(integration.id.rawValue)]
        if let displayName = integration.displayName { fields["displayName"] = .string(displayName) }
        for key in [
            "brandColor", "conversationColor", "actionColor", "displayStyle", "buttonIconUrl", "buttonWidth", "buttonHeight", "businessName",
            "businessIconUrl", "backgroundImageUrl", "fixedIntroPane", "canUserSeeConversationList", "canUserCreateMoreConversations",
            "prechatCapture",
        ] {
            if let value = integration.settings[key], value != .null { fields[key] = value }
        }
        return .object(fields)
    }
}

struct MessengerConversations: Encodable {
    var conversations: [ConversationWire]
}
