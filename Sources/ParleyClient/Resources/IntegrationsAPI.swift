/// Integrations (app or account keys): CreateIntegration, ListIntegrations, GetIntegration,
/// UpdateIntegration, DeleteIntegration.
public struct IntegrationsAPI: Sendable {
    let transport: Transport

    /// Creates an integration (CreateIntegration, `POST /v2/apps/{appId}/integrations`).
    /// - Throws: ``SunshineClientError``: `400 bad_request` (an unknown type, a missing field).
    public func create(appId: String, _ body: IntegrationCreate) async throws(SunshineClientError) -> Integration {
        try await transport.value(APIRequest(.POST, path("v2", "apps", appId, "integrations")).json(body), at: "integration")
    }

    /// The app's integrations, page by page while iterated (ListIntegrations).
    /// - Parameter types: `filter[types]`: only these types.
    /// - Throws: (while iterating) ``SunshineClientError``.
    public func list(appId: String, types: [IntegrationType]? = nil, page: PageQuery = .first) -> PaginatedSequence<Integration> {
        transport.paginated(from: page, at: "integrations") { query in request(appId: appId, types: types, page: query) }
    }

    /// One page of the app's integrations (ListIntegrations).
    /// - Throws: ``SunshineClientError``.
    public func listPage(appId: String, types: [IntegrationType]? = nil, page: PageQuery = .first) async throws(SunshineClientError) -> Page<Integration> {
        try await transport.page(request(appId: appId, types: types, page: page), at: "integrations")
    }

    private func request(appId: String, types: [IntegrationType]?, page: PageQuery) -> APIRequest {
        let filter = types.map { [QueryItem("filter[types]", $0.map(\.rawValue).joined(separator: ","))] } ?? []
        return APIRequest(.GET, path("v2", "apps", appId, "integrations"), query: filter + page.items)
    }

    /// One integration (GetIntegration).
    /// - Throws: ``SunshineClientError``: `404 integration_not_found`.
    public func get(appId: String, integrationId: String) async throws(SunshineClientError) -> Integration {
        try await transport.value(APIRequest(.GET, path("v2", "apps", appId, "integrations", integrationId)), at: "integration")
    }

    /// Changes an integration's updatable fields (UpdateIntegration).
    /// - Throws: ``SunshineClientError``: `404 integration_not_found`, `400` for a field the type cannot update.
    public func update(appId: String, integrationId: String, _ body: IntegrationUpdate) async throws(SunshineClientError) -> Integration {
        try await transport.value(APIRequest(.PATCH, path("v2", "apps", appId, "integrations", integrationId)).json(body), at: "integration")
    }

    /// Deletes an integration, with its keys and webhooks (DeleteIntegration).
    /// - Throws: ``SunshineClientError``: `404 integration_not_found`.
    public func delete(appId: String, integrationId: String) async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.DELETE, path("v2", "apps", appId, "integrations", integrationId)))
    }
}
