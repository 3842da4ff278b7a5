import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends one webhook request; answers the status code or throws (timeout, refused, …).
public protocol WebhookTransport: Sendable {
    func send(_ request: WebhookRequest, timeoutSeconds: Double) async throws -> Int
}

/// The real transport: AsyncHTTPClient with redirects refused (a webhook target that redirects
/// could leak the secret header elsewhere; the original does not follow them either).
public struct HTTPWebhookTransport: WebhookTransport {
    let client: HTTPClient

    public init(client: HTTPClient) {
        self.client = client
    }

    /// A transport with its own client, and how to shut that client down.
    @Sendable public static func live() -> (transport: any WebhookTransport, shutdown: @Sendable () async -> Void) {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        return (HTTPWebhookTransport(client: client), { try? await client.shutdown() })
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
