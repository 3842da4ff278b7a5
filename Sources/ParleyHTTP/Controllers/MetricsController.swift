import Crypto
import Hummingbird
import ParleyDomain

/// `GET /metrics` in Prometheus' text format (version 0.0.4). Open unless a token is set; then
/// `Authorization: Bearer <token>` or 401 in the envelope. API keys do not open it: a scraper
/// should hold no key that reaches apps' data.
struct MetricsController {
    let endpoint: MetricsEndpoint

    func register(on router: Router<APIRequestContext>) {
        let endpoint = self.endpoint
        router.get("/metrics") { request, _ -> Response in
            if let token = endpoint.token {
                let given = request.headers.value(of: .authorization) ?? ""
                // Compared as digests, in constant time: the comparison says nothing of the token.
                guard SHA256.hash(data: Array(given.utf8)) == SHA256.hash(data: Array("Bearer \(token)".utf8)) else {
                    throw ParleyError.unauthorized("GET /metrics needs the Bearer token set in PARLEY_METRICS_TOKEN")
                }
            }
            let body = await endpoint.render()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}
