/// Users: CreateUser, ListUsers, GetUser, UpdateUser, DeleteUser, DeleteUserPersonalInformation,
/// SyncUser. `user` parameters take a user's id or externalId; `brandId` narrows an externalId
/// to a brand's users.
public struct UsersAPI: Sendable {
    let transport: Transport

    /// Creates a user (CreateUser, `POST /v2/apps/{appId}/users`).
    /// - Throws: ``SunshineClientError``: `409 conflict` for an externalId in use, `400 bad_request`.
    public func create(appId: String, _ body: UserCreate) async throws(SunshineClientError) -> User {
        try await transport.value(APIRequest(.POST, path("v2", "apps", appId, "users")).json(body), at: "user")
    }

    /// The users with this verified email identity (ListUsers, `GET /v2/apps/{appId}/users?filter[identities.email]=`;
    /// not paginated). It searches `identities`, not `profile.email`.
    /// - Throws: ``SunshineClientError``.
    public func list(appId: String, email: String, brandId: String? = nil) async throws(SunshineClientError) -> [User] {
        try await transport.value(
            APIRequest(.GET, path("v2", "apps", appId, "users"), query: [QueryItem("filter[identities.email]", email)] + brand(brandId)), at: "users")
    }

    /// One user (GetUser, `GET /v2/apps/{appId}/users/{userIdOrExternalId}`).
    /// - Throws: ``SunshineClientError``: `404 user_not_found`.
    public func get(appId: String, user: String, brandId: String? = nil) async throws(SunshineClientError) -> User {
        try await transport.value(APIRequest(.GET, path("v2", "apps", appId, "users", user), query: brand(brandId)), at: "user")
    }

    /// Changes a user (UpdateUser, `PATCH /v2/apps/{appId}/users/{userIdOrExternalId}`).
    /// - Throws: ``SunshineClientError``: `404 user_not_found`, `400 bad_request`.
    public func update(appId: String, user: String, _ body: UserUpdate, brandId: String? = nil) async throws(SunshineClientError) -> User {
        try await transport.value(APIRequest(.PATCH, path("v2", "apps", appId, "users", user), query: brand(brandId)).json(body), at: "user")
    }

    /// Deletes a user, their clients and their personal conversations (DeleteUser).
    /// - Throws: ``SunshineClientError``: `404 user_not_found`.
    public func delete(appId: String, user: String, brandId: String? = nil) async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.DELETE, path("v2", "apps", appId, "users", user), query: brand(brandId)))
    }

    /// Clears a user's personal information (names, email, avatar, metadata, identities) and
    /// keeps the user (DeleteUserPersonalInformation, `DELETE …/users/{userIdOrExternalId}/personalinformation`).
    /// - Throws: ``SunshineClientError``: `404 user_not_found`.
    public func deletePersonalInformation(appId: String, user: String, brandId: String? = nil) async throws(SunshineClientError) -> User {
        try await transport.value(
            APIRequest(.DELETE, path("v2", "apps", appId, "users", user, "personalinformation"), query: brand(brandId)), at: "user")
    }

    /// Syncs a user with the Zendesk user `zendeskId`, merging into `survivingZendeskId` when
    /// given (SyncUser, `POST /v2/apps/{appId}/users/{zendeskId}/sync`).
    /// - Throws: ``SunshineClientError``.
    public func sync(appId: String, zendeskId: String, survivingZendeskId: String? = nil) async throws(SunshineClientError) -> User {
        var body: [String: String] = [:]
        if let survivingZendeskId { body["survivingZendeskId"] = survivingZendeskId }
        return try await transport.value(APIRequest(.POST, path("v2", "apps", appId, "users", zendeskId, "sync")).json(body), at: "user")
    }
}
