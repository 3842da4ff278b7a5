/// Persistence of users.
public protocol UserStore: Sendable {
    /// Inserts a user; throws `ParleyError` of kind `.conflict` when the app already has a user
    /// with that externalId (within the same brand), enforced by a unique index, not a prior read.
    func insertUser(_ user: User) async throws
    func user(_ lookup: UserLookup) async throws -> User?
    /// Users of an app with the given identity, oldest first.
    func users(appId: ResourceID, identityType: String, identityValue: String) async throws -> [User]
    /// Reads, changes and writes one user in a single transaction; nil when there is no such user.
    /// `events` receives the user before and after the change and is recorded in the same transaction.
    func updateUser(
        _ lookup: UserLookup, _ change: @escaping @Sendable (inout User) throws -> Void, events: @escaping @Sendable (_ before: User, _ after: User) -> [OutboxEvent]
    ) async throws -> User?
    /// Deletes the user and everything under it; returns the deleted user.
    func deleteUser(_ lookup: UserLookup, events: @escaping @Sendable (User) -> [OutboxEvent]) async throws -> User?
    /// Records an identity for a user (channels do this when they verify an address).
    func addIdentity(_ identity: Identity, userId: ResourceID) async throws
}

extension UserStore {
    /// A change no webhook hears of.
    public func updateUser(_ lookup: UserLookup, _ change: @escaping @Sendable (inout User) throws -> Void) async throws -> User? {
        try await updateUser(lookup, change, events: { _, _ in [] })
    }
}
