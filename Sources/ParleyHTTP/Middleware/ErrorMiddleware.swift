import Hummingbird
import Logging
import ParleyDomain
import ParleyWire

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
        } catch let error as RateLimited {
            var response = try JSONResponse.make(
                ErrorEnvelope(code: "too_many_requests", title: "Too many requests; retry in \(error.retryAfterSeconds) s"),
                status: .tooManyRequests)
            response.headers[.retryAfter] = "\(error.retryAfterSeconds)"
            return response
        } catch let error as any HTTPResponseError {
            return try Self.response(status: error.status, message: (error as? HTTPError)?.body)
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

    /// Errors of Hummingbird and NIO that carry a status (no route, body over the limit, …), in
    /// the API's words.
    static func response(status: HTTPResponse.Status, message: String?) throws -> Response {
        let parleyError: ParleyError =
            switch status {
            case .notFound: .notFound(.route)
            case .contentTooLarge: .payloadTooLarge
            case .unsupportedMediaType: .unsupportedMediaType
            default: ParleyError(kind: .badRequest, code: "bad_request", title: message ?? status.reasonPhrase)
            }
        if status.code >= 500 {
            return try JSONResponse.make(ErrorEnvelope(code: "internal_error", title: status.reasonPhrase), status: status)
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
        case .unprocessableContent: .unprocessableContent
        case .locked: .init(code: 423, reasonPhrase: "Locked")
        case .tooManyRequests: .tooManyRequests
        case .notImplemented: .notImplemented
        case .unavailable: .serviceUnavailable
        }
    }
}
