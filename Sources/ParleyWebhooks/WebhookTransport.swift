import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ParleyDomain
import ParleyOutbound

/// Sends one webhook request; answers the status code or throws (timeout, refused, …).
public protocol WebhookTransport: Sendable {
    func send(_ request: WebhookRequest, timeoutSeconds: Double) async throws -> Int
}

/// The real transport: an `OutboundClient` (redirects refused: a target that redirects could
/// leak the secret header elsewhere, and the original does not follow them either; every
/// address checked against the outbound policy).
public struct HTTPWebhookTransport: WebhookTransport {
    let client: OutboundClient

    public init(client: OutboundClient) {
        self.client = client
    }

    /// A transport with its own client, and how to shut that client down.
    @Sendable public static func live(
        outbound: OutboundAddressPolicy
    ) -> (transport: any WebhookTransport, shutdown: @Sendable () async -> Void) {
        let client = OutboundClient(policy: outbound)
        return (HTTPWebhookTransport(client: client), { await client.shutdown() })
    }

    public func send(_ request: WebhookRequest, timeoutSeconds: Double) async throws -> Int {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = .POST
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        let response = try await client.execute(outgoing, timeout: .milliseconds(Int64(timeoutSeconds * 1000)))
        // Read (and discard, up to a bound) the body so the connection can be reused.
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return Int(response.status.code)
    }
}
