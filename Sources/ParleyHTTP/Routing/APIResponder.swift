import Hummingbird
import Logging
import Tracing

/// Answers a request: through the endpoint `PathMatcher` finds for it, or else through
/// Hummingbird's router (see `APIRouter`). Each answered request is one line of the log at info:
/// method, operation (or route template, or the path when nothing matched), status, duration and
/// app. Every line logged for an operation carries its `operation` and `app`, and every line of a
/// request its id (`hb.request.id`, `requestId` in JSON lines), which the answer's `X-Request-Id`
/// repeats. The same line's facts feed `RequestMetrics`, and each request is a server span (named
/// by its operation) continuing the caller's W3C `traceparent`, under which the store's spans nest.
public struct APIResponder: HTTPResponder {
    public typealias Context = APIRequestContext

    let operations: PathMatcher<OperationEndpoint>
    let router: RouterResponder<APIRequestContext>
    let metrics: RequestMetrics
    /// The process's tracer when one is installed (`parley serve` with an OTLP endpoint); nil
    /// leaves requests untraced at no cost.
    let tracer: (any Tracer)?

    public func respond(to request: Request, context: APIRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        let requestID = Self.requestID(request, context: &context)
        let match = operations.match(request.uri.path, method: request.method)
        guard let tracer else {
            // No span at all, so the store makes none either (it traces only under one).
            return try await respond(to: request, context: context, match: match, requestID: requestID, span: nil, started: started)
        }
        var caller = ServiceContext.current ?? .topLevel
        tracer.extract(request.headers, into: &caller, using: HTTPFieldsExtractor())
        return try await tracer.withAnySpan(match?.value.operation.id ?? request.method.rawValue, context: caller, ofKind: .server) { span in
            span.attributes["http.request.method"] = request.method.rawValue
            return try await respond(to: request, context: context, match: match, requestID: requestID, span: span, started: started)
        }
    }

    private func respond(
        to request: Request, context: APIRequestContext, match: (value: OperationEndpoint, parameters: PathParameters)?, requestID: String,
        span: (any Span)?, started: ContinuousClock.Instant
    ) async throws -> Response {
        var context = context
        guard let (matched, parameters) = match else {
            // The router records the template it matched in the context's shared endpoint path.
            return try await logged(
                request, context: context, requestID: requestID, route: { Self.routerRoute(request, context: context) }, operation: nil,
                span: span, started: started
            ) {
                try await router.respond(to: request, context: context)
            }
        }
        context.logger[metadataKey: "operation"] = .string(matched.operation.id)
        if let app = parameters["appId"] { context.logger[metadataKey: "app"] = .string(app) }
        return try await logged(
            request, context: context, requestID: requestID, route: { (matched.operation.id, parameters["appId"]) },
            operation: matched.operation.id, span: span, started: started
        ) {
            // The router's routes get this middleware from the router; a matched operation gets it here.
            try await ErrorMiddleware().handle(request, context: context) { request, context in
                try await matched.run(request, context, parameters)
            }
        }
    }

    /// A router route's template (the path itself when none matched) and the app its path names.
    static func routerRoute(_ request: Request, context: APIRequestContext) -> (route: String, appId: String?) {
        // Unmatched requests are named by their path: a wrong base URL shows in the log as it was sent.
        guard let template = context.endpointPath, template.hasPrefix("/") else { return (request.uri.path, nil) }
        let names = template.split(separator: "/")
        let values = request.uri.path.split(separator: "/")
        let appId = names.firstIndex { $0 == "{appId}" || $0 == ":appId" }.flatMap { $0 < values.count ? String(values[$0]) : nil }
        return (template, appId)
    }

    /// The id a proxy in front gave the request (`X-Request-Id`, when it is a short token), else
    /// Hummingbird's; either way the one the request's log lines carry.
    static func requestID(_ request: Request, context: inout APIRequestContext) -> String {
        if let given = request.headers.value(of: .xRequestID), (1...128).contains(given.utf8.count),
            given.utf8.allSatisfy({ $0.isASCIILetterOrDigit || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") })
        {
            context.logger[metadataKey: "hb.request.id"] = .string(given)
            return given
        }
        return context.logger[metadataKey: "hb.request.id"].map { "\($0)" } ?? ""
    }

    /// `operation`: the matched operation's id; nil for the router's routes, named after the fact
    /// by their template.
    private func logged(
        _ request: Request, context: APIRequestContext, requestID: String, route: () -> (route: String, appId: String?), operation: String?,
        span: (any Span)?, started: ContinuousClock.Instant, _ answer: () async throws -> Response
    ) async throws -> Response {
        do {
            var response = try await answer()
            if !requestID.isEmpty { response.headers[.xRequestID] = requestID }
            finished(request, context: context, route: route, operation: operation, status: response.status.code, span: span, started: started)
            return response
        } catch {
            finished(request, context: context, route: route, operation: operation, status: 500, span: span, started: started)
            throw error
        }
    }

    private func finished(
        _ request: Request, context: APIRequestContext, route: () -> (route: String, appId: String?), operation: String?, status: Int,
        span: (any Span)?, started: ContinuousClock.Instant
    ) {
        let elapsed = ContinuousClock.now - started
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        let named = operation ?? context.endpointPath.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "unmatched"
        metrics.record(method: request.method.rawValue, operation: named, status: status, nanoseconds: nanoseconds)
        if let span, span.isRecording {
            if operation == nil { span.operationName = "\(request.method.rawValue) \(named)" }
            span.attributes["http.route"] = named
            span.attributes["http.response.status_code"] = status
            if let appId = route().appId { span.attributes["parley.app_id"] = appId }
            if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
        }
        guard context.logger.logLevel <= .info else { return }
        log(request, context: context, route: route(), status: status, elapsed: elapsed)
    }

    private func log(_ request: Request, context: APIRequestContext, route: (route: String, appId: String?), status: Int, elapsed: Duration) {
        let (route, appId) = route
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = ["ms": "\((milliseconds * 10).rounded() / 10)"]
        if let appId { metadata["app"] = "\(appId)" }
        context.logger.info("\(request.method) \(route) \(status)", metadata: metadata)
    }
}

extension UInt8 {
    fileprivate var isASCIILetterOrDigit: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}
