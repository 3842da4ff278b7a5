import Foundation
import Hummingbird
import ParleyDomain
import ParleyWire

/// Where channel providers call Parley (Parley's extension, not in the Sunshine spec):
/// `POST /v2/apps/{appId}/integrations/{integrationId}/inbound/{endpoint}` (and GET, for the links
/// a channel shows people, such as an email's postback buttons, and Meta's subscription handshake). No API key: the provider's own
/// signature, or Parley's on the link, checked by the integration's channel, is the proof.
struct InboundController {
    /// An email forward with its attachments may be large; Mailgun's own limit is 25 MB.
    static let maximumBodyBytes = 30 * 1024 * 1024

    let inbox: any ChannelInbox
    /// The base of the URL providers sign (Twilio): `PARLEY_PUBLIC_URL`, else the request's Host.
    let publicBaseURL: String?
    /// Forged or stale signatures, logged without flooding.
    let refusals = LogThrottle()

    func register(on router: Router<APIRequestContext>) {
        let refusals = self.refusals
        let publicBaseURL = self.publicBaseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        @Sendable func handle(_ request: Request, _ context: APIRequestContext) async throws -> Response {
            guard let appId = context.parameters.get("appId").flatMap(ResourceID.init) else { throw ParleyError.notFound(.app) }
            guard let integrationId = context.parameters.get("integrationId").flatMap(ResourceID.init) else {
                throw ParleyError.notFound(.integration)
            }
            let buffer = try await request.body.collect(upTo: Self.maximumBodyBytes)
            var headers: [String: String] = [:]
            for field in request.headers where headers[field.name.canonicalName] == nil {
                headers[field.name.canonicalName] = field.value
            }
            let base = publicBaseURL ?? "http://\(request.head.authority ?? "localhost")"
            let inbound = InboundRequest(
                method: request.method == .get ? .get : .post, appId: appId, integrationId: integrationId, endpoint: context.parameters.get("endpoint") ?? "",
                url: base + request.uri.string, baseURL: base, query: QueryParameters(request).all, headers: headers, body: Array(buffer: buffer))
            do {
                switch try await inbox.receive(inbound) {
                case .json(let answer):
                    return try JSONResponse.make(json: answer)
                case .document(let contentType, let text):
                    return Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
                }
            } catch let error as ParleyError where error.kind == .unauthorized {
                refusals.warning(context.logger, "Provider call refused: \(error.title)", metadata: ["integration": "\(integrationId)"])
                throw error
            }
        }
        router.post("/v2/apps/:appId/integrations/:integrationId/inbound/:endpoint", use: handle)
        router.get("/v2/apps/:appId/integrations/:integrationId/inbound/:endpoint", use: handle)
    }
}
