/// The app use cases: the rules of CreateApp … DeleteApp, over any `AppStore`.
public struct AppService: Sendable {
    private let store: any AppStore
    private let ids: ResourceIDGenerator

    public init(store: any AppStore, ids: ResourceIDGenerator) {
        self.store = store
        self.ids = ids
    }

    public func create(_ draft: AppDraft) async throws -> App {
        guard case .value(let displayName) = draft.displayName else {
            throw ParleyError.badRequest("displayName is required")
        }
        try Rules.length(displayName, 1...100, field: "displayName")
        let settings = try (draft.settings ?? AppSettings()).validated(previous: nil)
        let app = App(id: ids.next(), displayName: displayName, settings: settings, metadata: try Self.metadata(draft.metadata))
        try await store.insertApp(app)
        return app
    }

    public func list(_ page: PageRequest) async throws -> Page<App> {
        try await store.apps(page: page)
    }

    public func get(_ id: ResourceID) async throws -> App {
        guard let app = try await store.app(id: id) else { throw ParleyError.notFound(.app) }
        return app
    }

    public func update(_ id: ResourceID, _ draft: AppDraft) async throws -> App {
        // Validate what needs no stored state before opening the write transaction.
        let newName: String?
        switch draft.displayName {
        case .absent: newName = nil
        case .null: throw ParleyError.badRequest("displayName cannot be null")
        case .value(let name):
            try Rules.length(name, 1...100, field: "displayName")
            newName = name
        }
        let metadata = try Self.metadata(draft.metadata)
        let updated = try await store.updateApp(id: id) { app in
            if let newName { app.displayName = newName }
            if let settings = draft.settings {
                app.settings = try app.settings.merging(settings).validated(previous: app.settings)
            }
            if !draft.metadata.isAbsent { app.metadata = metadata }
        }
        guard let updated else { throw ParleyError.notFound(.app) }
        return updated
    }

    public func delete(_ id: ResourceID) async throws {
        guard try await store.deleteApp(id: id) else { throw ParleyError.notFound(.app) }
    }

    /// Resolves the app a route names, so every `/v2/apps/{appId}/…` route answers 404
    /// `app_not_found` the same way.
    public func requireExists(_ id: ResourceID) async throws {
        _ = try await get(id)
    }

    private static func metadata(_ patch: Patch<[String: JSONValue]>) throws -> Metadata? {
        guard case .value(let values) = patch else { return nil }
        return try Metadata.validated(values)
    }
}
