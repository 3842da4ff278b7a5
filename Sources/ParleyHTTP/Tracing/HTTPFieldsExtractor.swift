import HTTPTypes
import Instrumentation

/// Reads a request's trace headers (W3C `traceparent` and `tracestate`) for the tracer.
struct HTTPFieldsExtractor: Extractor {
    func extract(key name: String, from headers: HTTPFields) -> String? {
        guard let field = HTTPField.Name(name) else { return nil }
        return headers.value(of: field)
    }
}
