import ParleyDomain
import ParleyWire
import PostgresNIO

extension PostgresStore {
    public func insertApp(_ app: App) async throws {
        let settings = try JSONColumn.encode(app.settings)
        let metadata = try app.metadata.map(JSONColumn.encode)
        try await write { connection in
            try await connection.run(
                "INSERT INTO apps (id, display_name, settings, metadata) VALUES (\(app.id.rawValue), \(app.displayName), \(settings), \(metadata))")
        }
    }

    public func app(id: ResourceID) async throws -> App? {
        try await caches.apps.value(id) {
            try await read { connection in
                try await connection.row("SELECT * FROM apps WHERE id = \(id.rawValue)").map(Self.app)
            }
        }
    }

    public func apps(page: PageRequest) async throws -> Page<App> {
        try await snapshot { connection in
            try await PostgresPaging.page(connection, table: "apps", filter: SQL("TRUE"), request: page, decode: Self.app)
        }
    }

    public func updateApp(id: ResourceID, _ change: @escaping @Sendable (inout App) throws -> Void) async throws -> App? {
        defer { caches.apps.invalidate() }
        // The change runs inside the transaction, which runs in a child task (the lease deadline):
        // it never outlives this call.
        return try await write { connection in
            // FOR NO KEY UPDATE: concurrent updates of one app queue here instead of losing each
            // other's change, while inserts under the app (which lock it FOR KEY SHARE) go on.
            guard let row = try await connection.row("SELECT * FROM apps WHERE id = \(id.rawValue) FOR NO KEY UPDATE") else {
                return nil
            }
            var app = try Self.app(row)
            try change(&app)
            try await connection.run(
                """
                UPDATE apps SET display_name = \(app.displayName), settings = \(try JSONColumn.encode(app.settings)),
                                metadata = \(try app.metadata.map(JSONColumn.encode)) WHERE id = \(id.rawValue)
                """)
            return app
        }
    }

    public func deleteApp(id: ResourceID) async throws -> Bool {
        // Its keys go with it (cascade).
        defer {
            caches.apps.invalidate()
            caches.keys.invalidate()
        }
        return try await write { connection in
            try await connection.run("DELETE FROM apps WHERE id = \(id.rawValue) RETURNING id") > 0
        }
    }

    static func app(_ row: Columns) throws -> App {
        App(
            id: try row.id("id"), displayName: try row("display_name"), settings: try row.json(AppSettings.self, "settings"),
            metadata: try row.optionalJSON(Metadata.self, "metadata"))
    }
}
