import GRDB
import ParleyDomain
import ParleyWire

extension SQLiteStore {
    public func insertApp(_ app: App) async throws {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO apps (id, display_name, settings, metadata) VALUES (?, ?, ?, ?)",
                arguments: try Self.columns(app))
        }
    }

    public func app(id: ResourceID) async throws -> App? {
        try await read { db in
            try Self.decodeOne(db, sql: "SELECT * FROM apps WHERE id = ?", arguments: [id.rawValue], Self.app)
        }
    }

    public func apps(page: PageRequest) async throws -> Page<App> {
        try await read { db in
            try SQLitePaging.page(db, table: "apps", filter: "1", arguments: [], request: page, decode: Self.app)
        }
    }

    public func updateApp(id: ResourceID, _ change: @escaping @Sendable (inout App) throws -> Void) async throws -> App? {
        try await write { db in
            guard var app = try Self.decodeOne(db, sql: "SELECT * FROM apps WHERE id = ?", arguments: [id.rawValue], Self.app) else {
                return nil
            }
            try change(&app)
            try db.execute(
                sql: "UPDATE apps SET display_name = ?, settings = ?, metadata = ? WHERE id = ?",
                arguments: [app.displayName, try JSONColumn.encode(app.settings), try app.metadata.map(JSONColumn.encode), id.rawValue])
            return app
        }
    }

    public func deleteApp(id: ResourceID) async throws -> Bool {
        // Its keys go with it (cascade).
        defer { keyCache.invalidate() }
        return try await write { db in
            try db.execute(sql: "DELETE FROM apps WHERE id = ?", arguments: [id.rawValue])
            return db.changesCount > 0
        }
    }

    static func columns(_ app: App) throws -> StatementArguments {
        [app.id.rawValue, app.displayName, try JSONColumn.encode(app.settings), try app.metadata.map(JSONColumn.encode)]
    }

    static func app(_ row: Row) throws -> App {
        App(
            id: try resourceID(try row.decode(forColumn: "id")),
            displayName: try row.decode(forColumn: "display_name"),
            settings: try JSONColumn.decode(AppSettings.self, try row.decode(forColumn: "settings")),
            metadata: try (try row.decode(forColumn: "metadata") as String?).map { try JSONColumn.decode(Metadata.self, $0) })
    }

    static func resourceID(_ text: String) throws -> ResourceID {
        guard let id = ResourceID(text) else { throw DatabaseError(message: "corrupt id \(text)") }
        return id
    }
}
