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

    func register(on router: Router<APIRequestContext>) {
        router.post("/v2/apps/:appId/integrations/:integrationId/inbound/:endpoint") { request, context in
            guard let appId = context.parameters.get("appId").flatMap(ResourceID.init) else { throw ParleyError.notFound(.app) }
            guard let integrationId = context.parameters.get("integrationId").flatMap(ResourceID.init) else {
                throw ParleyError.notFound(.integration)
            }
            let buffer = try await request.body.collect(upTo: Self.maximumBodyBytes)
            let answer = try await inbox.receive(
                appId: appId, integrationId: integrationId, endpoint: context.parameters.get("endpoint") ?? "",
                contentType: request.headers[.contentType], body: Array(buffer: buffer))
            return try JSONResponse.make(answer)
        }
    }
}
