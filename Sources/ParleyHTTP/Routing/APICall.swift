import Hummingbird
import ParleyDomain
import ParleyWire

/// What an operation handler gets: the request, its context, the authenticated caller and the
/// app the path names (already authorized and known to exist).
public struct APICall: Sendable {
    public let request: Request
    public let context: APIRequestContext
    /// The path's `:name` components.
    public let parameters: PathParameters
    public let operation: Operation
    public let principal: Principal?
    /// The `:appId` of the path, when the path has one.
    public let appId: ResourceID?

    var query: QueryParameters { QueryParameters(request) }

    /// A path parameter as text; the route only matches when it is present.
    func parameter(_ name: String) -> String {
        parameters[name] ?? ""
    }

    /// The app of an app-scoped path. Every such route has one, checked before the handler runs.
    var requiredAppId: ResourceID {
        get throws {
            guard let appId else { throw ParleyError.notFound(.app) }
            return appId
        }
    }

    func decode<Body: Decodable>(_ type: Body.Type) async throws -> Body {
        try await RequestBodyDecoder.decode(type, from: request, context: context)
    }

    func decodeIfPresent<Body: Decodable>(_ type: Body.Type) async throws -> Body? {
        try await RequestBodyDecoder.decodeIfPresent(type, from: request, context: context)
    }

    func decodeJSON() async throws -> JSONValue {
        try await RequestBodyDecoder.decodeJSON(from: request, context: context)
    }
}

extension APICall {
    /// The `:integrationId` of the path, resolved (404 `integration_not_found`). An
    /// integration-scoped key reaches only its own integration (403 otherwise).
    func integration(_ integrations: IntegrationService) async throws -> Integration {
        let integration = try await integrations.get(appId: try requiredAppId, id: parameter("integrationId"))
        if let principal, principal.scope == .integration, principal.integrationId != integration.id {
            throw ParleyError.forbidden("Integration keys reach only their own integration")
        }
        return integration
    }
}
