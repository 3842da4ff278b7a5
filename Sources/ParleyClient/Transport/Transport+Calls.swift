/// The shapes of answer the operations have, over ``Transport/send(_:idempotencyKey:)``.
extension Transport {
    /// The value under `key` of the answer (`{"user": {…}}` → the user).
    func value<Value: Decodable>(_ request: APIRequest, at key: String, idempotencyKey: String? = nil) async throws(SunshineClientError) -> Value {
        try await send(request, idempotencyKey: idempotencyKey).decode(Value.self, at: key)
    }

    /// The whole answer as `Value`.
    func whole<Value: Decodable>(_ request: APIRequest) async throws(SunshineClientError) -> Value {
        try await send(request).decode(Value.self)
    }

    /// An operation that answers `{}`: only success matters.
    func empty(_ request: APIRequest) async throws(SunshineClientError) {
        _ = try await send(request)
    }

    /// One page of a list whose items are under `key`.
    func page<Item: Decodable & Sendable>(_ request: APIRequest, at key: String) async throws(SunshineClientError) -> Page<Item> {
        try await send(request).page(Item.self, at: key)
    }

    /// A list walked page by page as it is iterated; `request` makes each page's request.
    func paginated<Item: Decodable & Sendable>(
        from start: PageQuery, direction: PageDirection = .forward, at key: String, _ request: @escaping @Sendable (PageQuery) -> APIRequest
    ) -> PaginatedSequence<Item> {
        PaginatedSequence(start: start, direction: direction) { [self] query in
            try await self.page(request(query), at: key)
        }
    }
}

/// `/`-joined path segments, each percent-encoded: `path("v2", "apps", appId)`.
func path(_ segments: String...) -> String {
    "/" + segments.map(URLEncoding.escape).joined(separator: "/")
}

/// `brandId=…` when given.
func brand(_ brandId: String?) -> [QueryItem] {
    brandId.map { [QueryItem("brandId", $0)] } ?? []
}
