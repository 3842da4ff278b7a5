import Foundation
import ParleyDomain
import ParleySQLite

/// One way to get a fresh, migrated store. Every test in this target runs once per factory, so a
/// new store implementation joins by adding itself to `all`.
struct StoreFactory: Sendable, CustomStringConvertible {
    let description: String
    let make: @Sendable () async throws -> any ParleyStore
    /// A second store on the same data, as a restarted process would open it.
    let reopen: (@Sendable (any ParleyStore) async throws -> any ParleyStore)?

    static let sqlite = StoreFactory(
        description: "SQLite",
        make: {
            let store = try SQLiteStore(path: temporaryPath())
            try await store.migrate()
            return store
        },
        reopen: { store in
            let reopened = try SQLiteStore(path: (store as! SQLiteStore).path)
            try await reopened.migrate()
            return reopened
        })

    static let all: [StoreFactory] = [.sqlite]

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("parley-store-\(UUID().uuidString).sqlite").path
    }
}
