import CoreMetrics

/// Each answered request, counted by operation, method and status, and timed by operation
/// (`parley_http_requests_total`, `parley_http_request_duration_seconds`). The operation is the
/// spec's operationId, or the route template of other paths (`/web/:integrationId/socket`); a path
/// no route knows counts as `unmatched`, and a method outside HTTP's usual ones as `OTHER`, so a scan
/// of random paths or methods cannot add label values without end.
public struct RequestMetrics: Sendable {
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
    }

    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    func record(method: String, operation: String, status: Int, nanoseconds: Int64) {
        let method = Self.methods.contains(method) ? method : "OTHER"
        Counter(label: "parley_http_requests_total", dimensions: [("operation", operation), ("method", method), ("status", String(status))], factory: factory)
            .increment()
        CoreMetrics.Timer(label: "parley_http_request_duration_seconds", dimensions: [("operation", operation)], factory: factory)
            .recordNanoseconds(nanoseconds)
    }
}
