import Hummingbird

/// Answers a request: through the endpoint `PathMatcher` finds for it, or else through
/// Hummingbird's router (see `APIRouter`).
public struct APIResponder: HTTPResponder {
    public typealias Context = APIRequestContext

    let operations: PathMatcher<APIRouterBuilder.Endpoint>
    let router: RouterResponder<APIRequestContext>

    public func respond(to request: Request, context: APIRequestContext) async throws -> Response {
        guard let (endpoint, parameters) = operations.match(request.uri.path, method: request.method) else {
            return try await router.respond(to: request, context: context)
        }
        // The router's routes get this middleware from the router; a matched operation gets it here.
        return try await ErrorMiddleware().handle(request, context: context) { request, context in
            try await endpoint(request, context, parameters)
        }
    }
}
