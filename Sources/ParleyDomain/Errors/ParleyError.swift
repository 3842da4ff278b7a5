/// Every failure the API reports to a client: a kind (which decides the HTTP status), the API's
/// error `code` and a human `title`.
///
/// Shaped like swift-service-lifecycle's errors: a struct over a kind enum, built through static
/// functions, so new cases do not break callers that switch on `kind`.
public struct ParleyError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        case badRequest
        case unauthorized
        case forbidden
        case notFound
        case methodNotAllowed
        case conflict
        case payloadTooLarge
        case unsupportedMediaType
        /// 422: well-formed, but contradicting what an earlier request established (an
        /// `Idempotency-Key` reused for another request).
        case unprocessableContent
        case locked
        case tooManyRequests
        case notImplemented
        case unavailable
    }

    public let kind: Kind
    /// The API's machine-readable code, e.g. `user_not_found`.
    public let code: String
    /// A sentence for humans; never contains secrets or internal error dumps.
    public let title: String

    public init(kind: Kind, code: String, title: String) {
        self.kind = kind
        self.code = code
        self.title = title
    }

    public var description: String { "\(code): \(title)" }

    public static func badRequest(_ title: String) -> ParleyError {
        ParleyError(kind: .badRequest, code: "bad_request", title: title)
    }

    public static func unauthorized(_ title: String = "Authorization is required") -> ParleyError {
        ParleyError(kind: .unauthorized, code: "unauthorized", title: title)
    }

    public static func forbidden(_ title: String = "The credentials do not grant access to this resource") -> ParleyError {
        ParleyError(kind: .forbidden, code: "forbidden", title: title)
    }

    /// 404 for a resource, with the API's per-resource code (`app_not_found`, `user_not_found`, …).
    public static func notFound(_ resource: Resource) -> ParleyError {
        ParleyError(kind: .notFound, code: resource.notFoundCode, title: "\(resource.displayName) not found")
    }

    public static func conflict(_ title: String) -> ParleyError {
        ParleyError(kind: .conflict, code: "conflict", title: title)
    }

    public static func notImplemented(_ operation: String) -> ParleyError {
        ParleyError(kind: .notImplemented, code: "not_implemented", title: "\(operation) is not implemented by this Parley server yet")
    }
}

/// The resources a 404 can name. The code strings are the API's.
public enum Resource: Sendable {
    case app, appKey, user, conversation, integration, client, device, webhook, switchboard, switchboardIntegration
    case route

    var notFoundCode: String {
        switch self {
        case .app: "app_not_found"
        case .user: "user_not_found"
        case .conversation: "conversation_not_found"
        case .integration: "integration_not_found"
        case .client: "client_not_found"
        case .device: "device_not_found"
        case .switchboard: "switchboard_not_found"
        case .switchboardIntegration: "switchboard_integration_not_found"
        case .appKey, .webhook, .route: "not_found"
        }
    }

    var displayName: String {
        switch self {
        case .app: "App"
        case .appKey: "Key"
        case .user: "User"
        case .conversation: "Conversation"
        case .integration: "Integration"
        case .client: "Client"
        case .device: "Device"
        case .webhook: "Webhook"
        case .switchboard: "Switchboard"
        case .switchboardIntegration: "Switchboard integration"
        case .route: "Resource"
        }
    }
}
