import Hummingbird
import Logging

/// Answers a request: through the endpoint `PathMatcher` finds for it, or else through
/// Hummingbird's router (see `APIRouter`). Each answered request is one line of the log at info:
/// method, operation (or path), status, duration and app; the request id is the logger's own.
public struct APIResponder: HTTPResponder {
    public typealias Context = APIRequestContext

    let operations: PathMatcher<OperationEndpoint>
    let router: RouterResponder<APIRequestContext>

    public func respond(to request: Request, context: APIRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        guard let (matched, parameters) = operations.match(request.uri.path, method: request.method) else {
            return try await logged(request, context: context, route: request.uri.path, appId: context.parameters.get("appId"), started: started) {
                try await router.respond(to: request, context: context)
            }
        }
        return try await logged(request, context: context, route: matched.operation.id, appId: parameters["appId"], started: started) {
            // The router's routes get this middleware from the router; a matched operation gets it here.
            try await ErrorMiddleware().handle(request, context: context) { request, context in
                try await matched.run(request, context, parameters)
            }
        }
    }

    private func logged(
        _ request: Request, context: APIRequestContext, route: String, appId: String?, started: ContinuousClock.Instant,
        _ answer: () async throws -> Response
    ) async throws -> Response {
        do {
            let response = try await answer()
            log(request, context: context, route: route, appId: appId, status: response.status.code, started: started)
            return response
        } catch {
            log(request, context: context, route: route, appId: appId, status: 500, started: started)
            throw error
        }
    }

    private func log(_ request: Request, context: APIRequestContext, route: String, appId: String?, status: Int, started: ContinuousClock.Instant) {
        guard context.logger.logLevel <= .info else { return }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = ["ms": "\((milliseconds * 10).rounded() / 10)"]
        if let appId { metadata["app"] = "\(appId)" }
        context.logger.info("\(request.method) \(route) \(status)", metadata: metadata)
    }
}
