import Hummingbird
import Tracing

/// The whole API's routing: the operations' own matcher first, Hummingbird's router for the rest
/// (HEAD, the 405 answers, `/healthz`, the providers' inbound routes, and any path the matcher
/// does not take). Both reach the same handlers, so what a request gets does not depend on which
/// of the two found it.
public struct APIRouter: HTTPResponderBuilder {
    let router: Router<APIRequestContext>
    let operations: PathMatcher<OperationEndpoint>
    let metrics: RequestMetrics

    public func buildResponder() -> APIResponder {
        // The tracer is installed before the server is built (`TracingBootstrap`), or never.
        let tracer = InstrumentationSystem.tracer
        return APIResponder(operations: operations, router: router.buildResponder(), metrics: metrics, tracer: tracer is NoOpTracer ? nil : tracer)
    }
}
