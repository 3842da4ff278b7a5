import Crypto
import Foundation
import ParleyDomain
import ParleyWire

/// What Meta's webhooks (WhatsApp, Messenger, Instagram) ask of the endpoint they call:
/// - the subscription handshake: a GET with `hub.mode=subscribe`, `hub.verify_token` (the token
///   typed into the app's dashboard: the integration's generated `webhookVerifyToken`) and
///   `hub.challenge`, answered with the challenge itself;
/// - every POST signed in `X-Hub-Signature-256: sha256={hex}`, the HMAC-SHA256 of the raw body
///   under the Meta app's secret, checked before anything of the body is read.
enum MetaWebhook {
    /// A call to a Meta channel's webhook, once checked: the handshake's answer, or a signed
    /// notification's JSON object.
    enum Call {
        case handshake(InboundReply)
        case notification([String: JSONValue])
    }

    /// Answers a GET handshake, or checks a POST's signature under the integration's `appSecret`
    /// and reads its JSON: what every Meta channel's inbox does first.
    static func open(_ request: InboundRequest, integration: Integration, secrets: [String: String]) throws -> Call {
        if request.method == .get { return .handshake(try subscription(request, integration: integration)) }
        guard let appSecret = secrets["appSecret"] else {
            throw ParleyError.unauthorized("The integration has no appSecret to check Meta's X-Hub-Signature-256 with")
        }
        try checkSignature(request, appSecret: appSecret)
        guard case .object(let root)? = try? JSONParser.decode(Data(request.body)) else {
            throw ParleyError.badRequest("Expected a Meta webhook notification as JSON: {object, entry}")
        }
        return .notification(root)
    }

    /// An integration's field holding its verify token, made when it is created.
    static let verifyTokenField = IntegrationField.field("webhookVerifyToken", .string(), .generated)

    /// The answer to a GET: the challenge for the right token, else 403.
    static func subscription(_ request: InboundRequest, integration: Integration) throws -> InboundReply {
        guard request.query["hub.mode"] == "subscribe", let challenge = request.query["hub.challenge"], !challenge.isEmpty else {
            throw ParleyError.badRequest("Expected Meta's subscription handshake: hub.mode=subscribe, hub.verify_token and hub.challenge")
        }
        guard let given = request.query["hub.verify_token"], let verifyToken = integration.textSetting("webhookVerifyToken"), Self.equal(given, verifyToken)
        else {
            throw ParleyError.forbidden("hub.verify_token is not this integration's webhookVerifyToken")
        }
        return .document(contentType: "text/plain; charset=utf-8", text: challenge)
    }

    /// Throws 401 unless the request carries the app secret's signature of its body.
    static func checkSignature(_ request: InboundRequest, appSecret: String) throws {
        let header = request.headers["x-hub-signature-256"]
        guard let header else { throw ParleyError.unauthorized("The request has no X-Hub-Signature-256") }
        guard header.hasPrefix("sha256="), let given = Hex.bytes(String(header.dropFirst("sha256=".count))), given.count == 32,
            HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: request.body, using: SymmetricKey(data: Data(appSecret.utf8)))
        else {
            throw ParleyError.unauthorized("The X-Hub-Signature-256 does not match the body under this integration's appSecret")
        }
    }

    private static func equal(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
