import Hummingbird
import ParleyDomain
import ParleyWire

/// Registers operations on a Hummingbird router with the API's cross-cutting rules applied once:
/// authentication (401), scope and app ownership (403), the rate limit (429, when one is set), the
/// path's app existing (404 `app_not_found`), a POST's `Idempotency-Key` (`IdempotentPost`), then
/// the handler. `finish()` fills in the rest of the
/// surface: 501 for operations not implemented yet and 405 for a wrong method on a known path.
public final class APIRouterBuilder {
    public typealias Handler = @Sendable (APICall) async throws -> Response
    /// A registered operation with the cross-cutting rules applied, given the path's parameters.
    public typealias Endpoint = @Sendable (Request, APIRequestContext, PathParameters) async throws -> Response

    let router: Router<APIRequestContext>
    /// The same endpoints as the router's operation routes, for `APIResponder`'s quicker match.
    private(set) var operations = PathMatcher<OperationEndpoint>()
    private let authenticator: Authenticator
    private let apps: AppService
    /// `PARLEY_RATE_LIMIT`: each request counts against its key's bucket and its app's.
    private let rateLimiter: RateLimiter?
    private let idempotency: IdempotencyService
    private var registered: [String: Set<HTTPRequest.Method>] = [:]
    /// Failed authentications, logged without flooding (a password-guessing run is one line in 10 s).
    private let authenticationFailures = LogThrottle()
    private(set) var implemented: Set<String> = []

    init(
        router: Router<APIRequestContext>, authenticator: Authenticator, apps: AppService, idempotency: IdempotencyService,
        rateLimiter: RateLimiter? = nil
    ) {
        self.router = router
        self.authenticator = authenticator
        self.apps = apps
        self.idempotency = idempotency
        self.rateLimiter = rateLimiter
    }

    public func on(_ operation: Operation, _ handler: @escaping Handler) {
        implemented.insert(operation.id)
        add(operation, handler)
    }

    /// Registers 501 for every operation without a handler and 405 for every other method on
    /// every known path. Call once, after all controllers.
    func finish() {
        for operation in Operation.all where !implemented.contains(operation.id) {
            add(operation) { call in throw ParleyError.notImplemented(call.operation.id) }
        }
        // Every method a client might try; HEAD is answered like GET wherever GET is (the router
        // generates those endpoints), so it is allowed there.
        let methods: [HTTPRequest.Method] =
            [.get, .head, .post, .put, .patch, .delete, .options, .trace, .connect] + [HTTPRequest.Method("QUERY")].compactMap { $0 }
        for (path, registeredMethods) in registered {
            var allowed = registeredMethods
            if allowed.contains(.get) { allowed.insert(.head) }
            let allow = methods.filter(allowed.contains).map(\.rawValue).joined(separator: ", ")
            for method in methods where !allowed.contains(method) {
                router.on(RouterPath(path), method: method) { _, _ -> Response in
                    throw MethodNotAllowed(allow: allow)
                }
            }
        }
    }

    private func add(_ operation: Operation, _ handler: @escaping Handler) {
        registered[operation.path, default: []].insert(operation.method)
        let authenticator = self.authenticator
        let apps = self.apps
        let rateLimiter = self.rateLimiter
        let idempotency = self.idempotency
        let failures = self.authenticationFailures
        let endpoint: Endpoint = { request, context, rawParameters in
            if operation.isPublic {
                let parameters = try rawParameters.decoded()
                return try await handler(
                    APICall(request: request, context: context, parameters: parameters, operation: operation, principal: nil, appId: nil))
            }
            let principal: Principal
            do {
                principal = try await authenticator.authenticate(authorization: request.headers.value(of: .authorization))
            } catch let error as ParleyError where error.kind == .unauthorized {
                failures.warning(context.logger, "Authentication failed: \(error.title)", metadata: ["operation": "\(operation.id)"])
                throw error
            }
            var appId: ResourceID?
            if let text = rawParameters["appId"] {
                guard let id = ResourceID(text) else {
                    // Not even an id: an account key learns it does not exist, others that it is not theirs.
                    throw principal.scope == .account ? ParleyError.notFound(.app) : ParleyError.forbidden()
                }
                appId = id
            }
            try principal.authorize(operation.scopes, appId: appId)
            if let rateLimiter {
                // Before the app's existence is read: a caller over its limit costs no database work.
                let app = appId ?? principal.appId
                if case .refused(let wait) = rateLimiter.admit([.key(principal.keyId)] + (app.map { [.app($0)] } ?? [])) {
                    throw RateLimited(retryAfterMilliseconds: wait)
                }
            }
            if let appId, principal.scope == .account {
                // App and integration keys are deleted with their app, so only account keys can
                // name an app that does not exist.
                try await apps.requireExists(appId)
            }
            // 400s come after 401, 403 and the app's 404, as everywhere (docs/DECISIONS.md).
            let parameters = try rawParameters.decoded()
            if operation.method == .post, let key = try IdempotentPost.key(of: request, appId: appId, principal: principal) {
                return try await IdempotentPost(key: key, service: idempotency).run(request) { request in
                    try await handler(
                        APICall(request: request, context: context, parameters: parameters, operation: operation, principal: principal, appId: appId))
                }
            }
            return try await handler(
                APICall(request: request, context: context, parameters: parameters, operation: operation, principal: principal, appId: appId))
        }
        operations.add(operation.path, method: operation.method, value: OperationEndpoint(operation: operation, run: endpoint))
        let names = PathParameters.names(in: operation.path)
        router.on(RouterPath(operation.path), method: operation.method) { request, context -> Response in
            try await endpoint(request, context, PathParameters(names: names, from: context.parameters))
        }
    }
}

/// An operation's endpoint as `PathMatcher` finds it: the request log names the operation.
public struct OperationEndpoint: Sendable {
    public let operation: Operation
    public let run: APIRouterBuilder.Endpoint
}

/// 405 with the `Allow` header listing what the path accepts.
struct MethodNotAllowed: Error {
    let allow: String
}
