/// Apps: CreateApp, ListApps, GetApp, UpdateApp, DeleteApp. Creating, listing and deleting apps
/// take an account key; getting and updating also take the app's own key.
public struct AppsAPI: Sendable {
    let transport: Transport

    /// Creates an app (CreateApp, `POST /v2/apps`).
    /// - Throws: ``SunshineClientError``: `400 bad_request` for an invalid body, `403` for a non-account key.
    public func create(_ body: AppCreate) async throws(SunshineClientError) -> App {
        try await transport.value(APIRequest(.POST, path("v2", "apps")).json(body), at: "app")
    }

    /// Every app the key can see, fetched page by page while iterated (ListApps, `GET /v2/apps`).
    /// - Parameters:
    ///   - serviceAccountId: `filter[serviceAccountId]`: only the apps of that service account.
    ///   - page: Where to start, and the page size.
    /// - Throws: (while iterating) ``SunshineClientError``: `403` for a non-account key.
    public func list(serviceAccountId: String? = nil, page: PageQuery = .first) -> PaginatedSequence<App> {
        transport.paginated(from: page, at: "apps") { query in request(serviceAccountId: serviceAccountId, page: query) }
    }

    /// One page of apps (ListApps), with its `hasMore` and cursors.
    /// - Throws: ``SunshineClientError``: `400` for an invalid cursor or size, `403` for a non-account key.
    public func listPage(serviceAccountId: String? = nil, page: PageQuery = .first) async throws(SunshineClientError) -> Page<App> {
        try await transport.page(request(serviceAccountId: serviceAccountId, page: page), at: "apps")
    }

    private func request(serviceAccountId: String?, page: PageQuery) -> APIRequest {
        APIRequest(.GET, path("v2", "apps"), query: (serviceAccountId.map { [QueryItem("filter[serviceAccountId]", $0)] } ?? []) + page.items)
    }

    /// One app, with its subdomain where it has one (GetApp, `GET /v2/apps/{appId}`).
    /// - Throws: ``SunshineClientError``: `404 app_not_found`.
    public func get(appId: String) async throws(SunshineClientError) -> App {
        try await transport.value(APIRequest(.GET, path("v2", "apps", appId)), at: "app")
    }

    /// Changes an app's name, settings (merged) or metadata (replaced) (UpdateApp, `PATCH /v2/apps/{appId}`).
    /// - Throws: ``SunshineClientError``: `400 bad_request`, `404 app_not_found`.
    public func update(appId: String, _ body: AppUpdate) async throws(SunshineClientError) -> App {
        try await transport.value(APIRequest(.PATCH, path("v2", "apps", appId)).json(body), at: "app")
    }

    /// Deletes an app and everything in it (DeleteApp, `DELETE /v2/apps/{appId}`).
    /// - Throws: ``SunshineClientError``: `404 app_not_found`, `403` for a non-account key.
    public func delete(appId: String) async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.DELETE, path("v2", "apps", appId)))
    }
}
