/// A user's clients (channel links): CreateClient, ListClients, RemoveClient.
public struct ClientsAPI: Sendable {
    let transport: Transport

    /// Links a user to a channel (an email address, a phone number) and attaches the new client to a
    /// conversation; it starts `pending` (CreateClient, `POST /v2/apps/{appId}/users/{userIdOrExternalId}/clients`).
    /// - Throws: ``SunshineClientError``: `404 user_not_found`, `integration_not_found`,
    ///   `conversation_not_found`; `400 bad_request` for an invalid body.
    public func create(appId: String, user: String, _ body: ClientCreate, brandId: String? = nil) async throws(SunshineClientError) -> Client {
        try await transport.value(APIRequest(.POST, path("v2", "apps", appId, "users", user, "clients"), query: brand(brandId)).json(body), at: "client")
    }

    /// The user's clients, linked and pending, page by page while iterated (ListClients).
    /// - Throws: (while iterating) ``SunshineClientError``: `404 user_not_found`.
    public func list(appId: String, user: String, brandId: String? = nil, page: PageQuery = .first) -> PaginatedSequence<Client> {
        transport.paginated(from: page, at: "clients") { query in request(appId: appId, user: user, brandId: brandId, page: query) }
    }

    /// One page of the user's clients (ListClients).
    /// - Throws: ``SunshineClientError``: `404 user_not_found`, `400` for an invalid cursor.
    public func listPage(appId: String, user: String, brandId: String? = nil, page: PageQuery = .first) async throws(SunshineClientError) -> Page<Client> {
        try await transport.page(request(appId: appId, user: user, brandId: brandId, page: page), at: "clients")
    }

    private func request(appId: String, user: String, brandId: String?, page: PageQuery) -> APIRequest {
        APIRequest(.GET, path("v2", "apps", appId, "users", user, "clients"), query: brand(brandId) + page.items)
    }

    /// Removes a client and unsubscribes it from every conversation (RemoveClient,
    /// `DELETE …/users/{userIdOrExternalId}/clients/{clientId}`).
    /// - Throws: ``SunshineClientError``: `404 client_not_found`, `400` for an `sdk` client.
    public func remove(appId: String, user: String, clientId: String, brandId: String? = nil) async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.DELETE, path("v2", "apps", appId, "users", user, "clients", clientId), query: brand(brandId)))
    }
}
