import AsyncHTTPClient
import NIOCore
import ParleyDomain
import ParleyOutbound
import ParleyWire

/// One Bot API call: `POST {base}/bot{token}/{method}` with a JSON body, read as `TelegramAnswer`.
/// The URL carries the bot's token: it is never logged or shown.
struct TelegramBotAPI {
    let client: OutboundClient
    let baseURL: String
    let token: String

    func call(_ method: String, _ body: [String: JSONValue], timeout: TimeAmount = .seconds(30)) async throws -> (status: Int, answer: TelegramAnswer) {
        var request = HTTPClientRequest(url: "\(baseURL)/bot\(FormEncoding.pathSegment(token))/\(method)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: try JSONWriter.string(.object(body))))
        let response = try await client.execute(request, timeout: timeout)
        return (Int(response.status.code), TelegramAnswer(try? await response.body.collect(upTo: 64 * 1024)))
    }
}
