import CoreMetrics
import Foundation
import HTTPTypes
import HummingbirdWebSocket
import Logging
import ParleyDomain
import ParleyWire

/// The realtime WebSockets (docs/MESSENGER.md): `/web/{integrationId}/socket` for the messenger,
/// `/inbox/socket` for the inbox. A socket signs in with its first frame, then follows
/// conversations through the `RealtimeHub`: replay from the last number it saw, then live.
public struct RealtimeSockets: Sendable {
    /// What a messenger's socket is shown: what its user sees happen in their conversations.
    static let messengerTypes: Set<EventType> = [
        .conversationMessage, .conversationTyping, .conversationRead, .messageDeliveryChannel, .messageDeliveryUser,
        .messageDeliveryFailure, .conversationRemove,
    ]
    /// Frames a client may send are small commands.
    static let maximumFrameBytes = 16 * 1024
    /// Conversations one socket may follow at once.
    static let maximumSubscriptions = 100
    /// How long a new socket has to sign in.
    static let signInTimeout: Duration = .seconds(10)

    let hub: RealtimeHub
    let messenger: MessengerService
    let conversations: ConversationService
    let authenticator: Authenticator
    let sessions: SessionTokens
    let now: @Sendable () -> Timestamp
    let frames = RealtimeFrames()
    /// The server's pings: a socket that misses one is closed (dead sockets are found by this).
    public let pingInterval: Duration
    /// `parley_realtime_sockets`: sockets open now, signed in or not.
    let open: Meter

    public init(
        hub: RealtimeHub, services: DomainServices, sessions: SessionTokens, pingInterval: Duration = .seconds(15),
        metrics: any MetricsFactory = NOOPMetricsHandler.instance, now: @escaping @Sendable () -> Timestamp = { .now() }
    ) {
        self.open = Meter(label: "parley_realtime_sockets", factory: metrics)
        self.hub = hub
        self.messenger = services.messenger
        self.conversations = services.conversations
        self.authenticator = Authenticator(keys: services.keys, sessions: sessions, now: now)
        self.sessions = sessions
        self.pingInterval = pingInterval
        self.now = now
    }

    /// What a socket speaks for once signed in.
    enum Speaker {
        case user(WebSession)
        case app(ResourceID)
    }

    enum Endpoint: Equatable {
        case messenger(integrationId: String)
        case inbox
    }

    /// The socket a path asks for, if it is one of them.
    static func endpoint(path: String) -> Endpoint? {
        let path = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        if path == "/inbox/socket" { return .inbox }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 4, parts[0].isEmpty, parts[1] == "web", parts[3] == "socket", ResourceID(String(parts[2])) != nil {
            return .messenger(integrationId: String(parts[2]))
        }
        return nil
    }

    public var configuration: WebSocketServerConfiguration {
        WebSocketServerConfiguration(maxFrameSize: Self.maximumFrameBytes, autoPing: .enabled(timePeriod: pingInterval))
    }

    /// The upgrade decision for a request: only the two sockets' paths upgrade.
    public func shouldUpgrade(_ request: HTTPRequest) -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        guard let path = request.path, let endpoint = Self.endpoint(path: path) else { return .dontUpgrade }
        return .upgrade([:]) { inbound, outbound, context in
            await serve(endpoint, inbound: inbound, outbound: outbound, logger: context.logger)
        }
    }

    func serve(_ endpoint: Endpoint, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async {
        open.increment()
        defer { open.decrement() }
        var messages = inbound.messages(maxSize: Self.maximumFrameBytes).makeAsyncIterator()
        // A socket that never signs in is closed, not kept.
        let timer = Task {
            try await Task.sleep(for: Self.signInTimeout)
            try await outbound.close(.policyViolation, reason: "Sign in first")
        }
        let speaker: Speaker
        do {
            guard let first = try await messages.next() else { return }
            timer.cancel()
            speaker = try await signIn(first, endpoint: endpoint)
        } catch {
            timer.cancel()
            let refusal = (error as? ParleyError) ?? ParleyError.unauthorized("Sign in failed")
            try? await outbound.write(.text(RealtimeFrames.error(refusal)))
            try? await outbound.close(.unknown(4401), reason: "Unauthorized")
            return
        }
        try? await outbound.write(.text(RealtimeFrames.write(.object(["type": .string("ready")]))))

        let subscriber: RealtimeSubscriber
        switch speaker {
        case .user: subscriber = RealtimeSubscriber(shownTypes: Self.messengerTypes)
        case .app: subscriber = RealtimeSubscriber(shownTypes: nil)
        }
        var following: Set<ResourceID> = []
        var watching: ResourceID?
        let frames = self.frames
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await frame in subscriber.frames {
                    do {
                        try await outbound.write(.text(frames.text(frame)))
                    } catch {
                        break
                    }
                }
                // Ended by the hub (this socket fell too far behind, or the store failed): the
                // client reconnects and resumes.
                try? await outbound.close(.goingAway, reason: "Reconnect and resume")
            }
            do {
                while let message = try await messages.next() {
                    guard case .text(let text) = message else { continue }
                    do {
                        try await handle(text, speaker: speaker, subscriber: subscriber, following: &following, watching: &watching, outbound: outbound)
                    } catch let error as ParleyError {
                        try await outbound.write(.text(RealtimeFrames.error(error)))
                    }
                }
            } catch {
                logger.debug("Realtime socket ended", metadata: ["error": "\(error)"])
            }
            for conversationId in following { hub.unsubscribe(subscriber, from: conversationId) }
            if let watching { hub.unwatch(subscriber, app: watching) }
            subscriber.finish()
            group.cancelAll()
        }
    }

    private func signIn(_ message: WebSocketMessage, endpoint: Endpoint) async throws -> Speaker {
        guard case .text(let text) = message, case .object(let fields)? = Self.json(text), fields["type"] == .string("auth"),
            case .string(let token)? = fields["session"]
        else { throw ParleyError.unauthorized("The first frame must be {\"type\": \"auth\", \"session\": …}") }
        switch endpoint {
        case .messenger(let integrationId):
            guard let session = sessions.verify(token, now: now())?.webSession, session.integrationId.rawValue == integrationId else {
                throw ParleyError.unauthorized("Invalid session")
            }
            return .user(try await messenger.resume(session).session)
        case .inbox:
            let principal = try await authenticator.authenticate(authorization: "Bearer " + token)
            guard principal.scope == .app, let appId = principal.appId else { throw ParleyError.unauthorized("Invalid session") }
            return .app(appId)
        }
    }

    private func handle(
        _ text: String, speaker: Speaker, subscriber: RealtimeSubscriber, following: inout Set<ResourceID>, watching: inout ResourceID?,
        outbound: WebSocketOutboundWriter
    ) async throws {
        guard case .object(let fields)? = Self.json(text), case .string(let type)? = fields["type"] else {
            throw ParleyError.badRequest("A frame must be a JSON object with a type")
        }
        switch type {
        case "ping":
            try? await outbound.write(.text(#"{"type":"pong"}"#))
        case "subscribe" where fields["scope"] == .string("app"):
            guard case .app(let appId) = speaker else { throw ParleyError.forbidden("Only the inbox watches a whole app") }
            if watching == nil {
                watching = appId
                hub.watch(subscriber, app: appId)
            }
        case "subscribe":
            guard case .string(let id)? = fields["conversationId"] else { throw ParleyError.badRequest("conversationId is required") }
            var after: Int64?
            switch fields["after"] {
            case .integer(let value)? where value >= 0: after = value
            case .double(let value)? where value >= 0 && value == value.rounded() && value < 9e15: after = Int64(value)
            case nil, .null?: break
            default: throw ParleyError.badRequest("after must be a sequence number")
            }
            let conversation = try await conversation(id, for: speaker)
            guard !following.contains(conversation.id) else { throw ParleyError.badRequest("Already subscribed to \(conversation.id)") }
            guard following.count < Self.maximumSubscriptions else {
                throw ParleyError.badRequest("A socket follows at most \(Self.maximumSubscriptions) conversations")
            }
            following.insert(conversation.id)
            hub.subscribe(subscriber, to: conversation.id, after: after)
        case "unsubscribe":
            guard case .string(let id)? = fields["conversationId"], let conversationId = ResourceID(id), following.remove(conversationId) != nil else {
                throw ParleyError.badRequest("Not subscribed to that conversation")
            }
            hub.unsubscribe(subscriber, from: conversationId)
        default:
            throw ParleyError.badRequest("Unknown frame type \(type)")
        }
    }

    /// The conversation, if the socket's speaker may follow it: their own (messenger), their app's (inbox).
    private func conversation(_ id: String, for speaker: Speaker) async throws -> Conversation {
        switch speaker {
        case .user(let session): try await messenger.conversation(session, id: id)
        case .app(let appId): try await conversations.get(appId: appId, id: id)
        }
    }

    static func json(_ text: String) -> JSONValue? {
        try? BoundedJSONDecoder.decode(JSONValue.self, from: Data(text.utf8))
    }
}
