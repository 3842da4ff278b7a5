/// Creates the shared test database once per process, however many tests ask at the same time.
actor SharedDatabase {
    static let shared = SharedDatabase()
    private var ready: Task<Void, any Error>?

    func ensure(_ create: @escaping @Sendable () async throws -> Void) async throws {
        if ready == nil { ready = Task { try await create() } }
        try await ready!.value
    }
}
