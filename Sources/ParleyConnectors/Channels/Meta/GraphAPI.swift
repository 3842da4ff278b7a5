import AsyncHTTPClient
import NIOCore
import ParleyDomain
import ParleyOutbound
import ParleyWire

/// One call to Meta's Graph API, which WhatsApp's Cloud API, Messenger and Instagram share:
/// `{base}/{path}` with the integration's access token as a Bearer credential (never in the URL,
/// so it is never logged), JSON in and out, read as `GraphAnswer`. The base carries the API
/// version (`https://graph.facebook.com/v21.0`), so moving versions is a setting.
struct GraphAPI {
    let client: OutboundClient
    let baseURL: String
    let accessToken: String

    /// Meta's tokens are visible ASCII; anything else could not even go in a header, so it is
    /// refused before any call (a 400, not a 503 for an unreachable Meta).
    var hasPlausibleToken: Bool {
        !accessToken.isEmpty && accessToken.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    func post(_ path: String, _ body: [String: JSONValue], timeout: TimeAmount = .seconds(30)) async throws -> GraphAnswer {
        var request = HTTPClientRequest(url: "\(baseURL)/\(path)")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(accessToken)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: try JSONWriter.string(.object(body))))
        return try await answer(to: request, timeout: timeout)
    }

    /// `query`: already in the URL's form (`fields=id,name`).
    func get(_ path: String, query: String = "", timeout: TimeAmount = .seconds(30)) async throws -> GraphAnswer {
        var request = HTTPClientRequest(url: "\(baseURL)/\(path)\(query.isEmpty ? "" : "?" + query)")
        request.headers.add(name: "Authorization", value: "Bearer \(accessToken)")
        return try await answer(to: request, timeout: timeout)
    }

    private func answer(to request: HTTPClientRequest, timeout: TimeAmount) async throws -> GraphAnswer {
        let response = try await client.execute(request, timeout: timeout)
        return GraphAnswer(status: Int(response.status.code), body: try? await response.body.collect(upTo: 256 * 1024))
    }
}
