import Foundation
import Hummingbird
import ParleyDomain

/// Where channel providers call Parley (Parley's extension, not in the Sunshine spec):
/// `POST /v2/apps/{appId}/integrations/{integrationId}/inbound/{endpoint}`. No API key: the
/// provider's own signature, checked by the `ChannelInbox`, is the proof.
struct InboundController {
    /// An email forward with its attachments may be large; Mailgun's own limit is 25 MB.
    static let maximumBodyBytes = 30 * 1024 * 1024

    let inbox: any ChannelInbox
    /// Forged or stale signatures, logged without flooding.
    let refusals = LogThrottle()

    func register(on router: Router<APIRequestContext>) {
        let refusals = self.refusals
        router.post("/v2/apps/:appId/integrations/:integrationId/inbound/:endpoint") { request, context in
            guard let appId = context.parameters.get("appId").flatMap(ResourceID.init) else { throw ParleyError.notFound(.app) }
            guard let integrationId = context.parameters.get("integrationId").flatMap(ResourceID.init) else {
                throw ParleyError.notFound(.integration)
            }
            let buffer = try await request.body.collect(upTo: Self.maximumBodyBytes)
            do {
                let answer = try await inbox.receive(
                    appId: appId, integrationId: integrationId, endpoint: context.parameters.get("endpoint") ?? "",
                    contentType: request.headers[.contentType], body: Array(buffer: buffer))
                return try JSONResponse.make(answer)
            } catch let error as ParleyError where error.kind == .unauthorized {
                refusals.warning(context.logger, "Provider call refused: \(error.title)", metadata: ["integration": "\(integrationId)"])
                throw error
            }
        }
    }
}
