import Hummingbird
import Logging

/// Answers a request: through the endpoint `PathMatcher` finds for it, or else through
/// Hummingbird's router (see `APIRouter`). Each answered request is one line of the log at info:
/// method, operation (or route template, or the path when nothing matched), status, duration and
/// app; the request id is the logger's own.
public struct APIResponder: HTTPResponder {
    public typealias Context = APIRequestContext

    let operations: PathMatcher<OperationEndpoint>
    let router: RouterResponder<APIRequestContext>

    public func respond(to request: Request, context: APIRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        guard let (matched, parameters) = operations.match(request.uri.path, method: request.method) else {
            // The router records the template it matched in the context's shared endpoint path.
            return try await logged(request, context: context, route: { Self.routerRoute(request, context: context) }, started: started) {
                try await router.respond(to: request, context: context)
            }
        }
        return try await logged(request, context: context, route: { (matched.operation.id, parameters["appId"]) }, started: started) {
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

    private func logged(
        _ request: Request, context: APIRequestContext, route: () -> (route: String, appId: String?), started: ContinuousClock.Instant,
        _ answer: () async throws -> Response
    ) async throws -> Response {
        do {
            let response = try await answer()
            log(request, context: context, route: route(), status: response.status.code, started: started)
            return response
        } catch {
            log(request, context: context, route: route(), status: 500, started: started)
            throw error
        }
    }

    private func log(_ request: Request, context: APIRequestContext, route: (route: String, appId: String?), status: Int, started: ContinuousClock.Instant) {
        guard context.logger.logLevel <= .info else { return }
        let (route, appId) = route
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = ["ms": "\((milliseconds * 10).rounded() / 10)"]
        if let appId { metadata["app"] = "\(appId)" }
        context.logger.info("\(request.method) \(route) \(status)", metadata: metadata)
    }
}
