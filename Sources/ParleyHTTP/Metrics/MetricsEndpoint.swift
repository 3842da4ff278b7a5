/// What `GET /metrics` serves: the server's metrics in Prometheus' text format, rendered when
/// scraped; and, when `PARLEY_METRICS_TOKEN` is set, the Bearer token a scraper must send.
public struct MetricsEndpoint: Sendable {
    public let token: String?
    public let render: @Sendable () async -> [UInt8]

    public init(token: String?, render: @escaping @Sendable () async -> [UInt8]) {
        self.token = token
        self.render = render
    }
}
