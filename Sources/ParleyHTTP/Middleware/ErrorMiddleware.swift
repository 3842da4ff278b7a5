import Hummingbird
import Logging
import ParleyDomain

/// Renders every error as the API's envelope `{"errors":[{"code","title"}]}` with the matching
/// status. Unknown errors become a 500 whose body says nothing internal; the detail goes to the log.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ParleyError {
            return try Self.response(for: error)
        } catch let error as MethodNotAllowed {
            var response = try JSONResponse.make(
                ErrorEnvelope(code: "method_not_allowed", title: "Method not allowed; this path accepts \(error.allow)"),
                status: .methodNotAllowed)
            response.headers[.allow] = error.allow
            return response
        } catch let error as HTTPError {
            return try Self.response(for: error)
        } catch {
            context.logger.error("Unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            return try JSONResponse.make(ErrorEnvelope(code: "internal_error", title: "Internal server error"), status: .internalServerError)
        }
    }

    static func response(for error: ParleyError) throws -> Response {
        var response = try JSONResponse.make(ErrorEnvelope(code: error.code, title: error.title), status: status(of: error.kind))
        if error.kind == .unauthorized {
            response.headers[.wwwAuthenticate] = "Basic realm=\"parley\""
        }
        return response
    }

    /// Hummingbird's own errors (no route, body too large, …) in the API's words.
    static func response(for error: HTTPError) throws -> Response {
        let parleyError: ParleyError =
            switch error.status {
            case .notFound: .notFound(.route)
            case .contentTooLarge: .payloadTooLarge
            case .unsupportedMediaType: .unsupportedMediaType
            case .badRequest: .badRequest(error.body ?? "Bad request")
            default: ParleyError(kind: .badRequest, code: "bad_request", title: error.body ?? error.status.reasonPhrase)
            }
        if error.status.code >= 500 {
            return try JSONResponse.make(
                ErrorEnvelope(code: "internal_error", title: error.status.reasonPhrase), status: error.status)
        }
        return try Self.response(for: parleyError)
    }

    static func status(of kind: ParleyError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict: .conflict
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .locked: .init(code: 423, reasonPhrase: "Locked")
        case .tooManyRequests: .tooManyRequests
        case .notImplemented: .notImplemented
        case .unavailable: .serviceUnavailable
        }
    }
}
