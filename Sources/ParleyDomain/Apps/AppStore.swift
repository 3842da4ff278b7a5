/// Persistence of apps.
public protocol AppStore: Sendable {
    func insertApp(_ app: App) async throws
    func app(id: ResourceID) async throws -> App?
    /// Apps in creation order.
    func apps(page: PageRequest) async throws -> Page<App>
    /// Reads, changes and writes one app in a single transaction; nil when there is no such app.
    func updateApp(id: ResourceID, _ change: @escaping @Sendable (inout App) throws -> Void) async throws -> App?
    /// Deletes the app and everything under it (keys, users, …); false when there was none.
    func deleteApp(id: ResourceID) async throws -> Bool
}
