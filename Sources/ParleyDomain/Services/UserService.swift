/// The user use cases: CreateUser … DeleteUserPersonalInformation.
public struct UserService: Sendable {
    private let store: any UserStore & AttachmentStore
    private let ids: ResourceIDGenerator
    private let events: EventFactory
    private let now: @Sendable () -> Timestamp

    public init(store: any UserStore & AttachmentStore, ids: ResourceIDGenerator, now: @escaping @Sendable () -> Timestamp = { .now() }) {
        self.store = store
        self.ids = ids
        self.events = EventFactory(ids: ids, now: now)
        self.now = now
    }

    public func create(appId: ResourceID, _ draft: UserDraft) async throws -> User {
        if let externalId = draft.externalId { try Rules.length(externalId, 1...1024, field: "externalId") }
        if let brandId = draft.brandId { try Rules.length(brandId, 1...24, field: "brandId") }
        let profile = try draft.profile.validated().applied(to: Profile())
        let signedUpAt: Timestamp
        switch draft.signedUpAt {
        case .absent: signedUpAt = now()
        case .null: throw ParleyError.badRequest("signedUpAt cannot be null")
        case .value(let text): signedUpAt = try Rules.datetime(text, field: "signedUpAt")
        }
        var metadata = Metadata()
        if case .value(let values) = draft.metadata { metadata = try Metadata.validated(values) }
        let user = User(
            id: ids.next(), appId: appId, externalId: draft.externalId, brandId: draft.brandId,
            signedUpAt: signedUpAt, toBeRetained: draft.toBeRetained ?? false, profile: profile,
            metadata: metadata, authenticated: draft.externalId != nil)
        try await store.insertUser(user)
        return user
    }

    public func get(_ lookup: UserLookup) async throws -> User {
        guard let user = try await store.user(lookup) else { throw ParleyError.notFound(.user) }
        return user
    }

    /// ListUsers: users whose identities include this email (not `profile.email`, as the spec says).
    public func list(appId: ResourceID, identityEmail: String?) async throws -> [User] {
        guard let identityEmail else {
            throw ParleyError.badRequest("filter[identities.email] is required")
        }
        return try await store.users(appId: appId, identityType: "email", identityValue: identityEmail)
    }

    public func update(_ lookup: UserLookup, _ draft: UserDraft) async throws -> User {
        if draft.externalId != nil { throw ParleyError.badRequest("externalId cannot be changed") }
        let profile = try draft.profile.validated()
        let signedUpAt: Timestamp?
        switch draft.signedUpAt {
        case .absent: signedUpAt = nil
        case .null: throw ParleyError.badRequest("signedUpAt cannot be null")
        case .value(let text): signedUpAt = try Rules.datetime(text, field: "signedUpAt")
        }
        let metadata: Metadata?
        switch draft.metadata {
        case .absent: metadata = nil
        case .null: metadata = Metadata()
        case .value(let values): metadata = try Metadata.validated(values)
        }
        let events = self.events
        let updated = try await store.updateUser(lookup, { user in
            user.profile = profile.applied(to: user.profile)
            if let signedUpAt { user.signedUpAt = signedUpAt }
            if let retained = draft.toBeRetained { user.toBeRetained = retained }
            if let metadata { user.metadata = metadata }
        }, events: { before, after in before == after ? [] : [events.userUpdated(after)] })
        guard let updated else { throw ParleyError.notFound(.user) }
        return updated
    }

    public func delete(_ lookup: UserLookup) async throws {
        let events = self.events
        guard try await store.deleteUser(lookup, events: { [events.userRemoved($0)] }) != nil else { throw ParleyError.notFound(.user) }
    }

    /// Clears what identifies a person: names, email, avatar, custom properties (metadata) and
    /// identities, and deletes the files their messages carried. The locale and ids stay, so
    /// conversations keep working (docs/DECISIONS.md).
    public func deletePersonalInformation(_ lookup: UserLookup) async throws -> User {
        // The files first: if anything stops between the two writes, the client's retry of this
        // idempotent call finishes the job.
        guard let user = try await store.user(lookup) else { throw ParleyError.notFound(.user) }
        _ = try await store.deleteAttachments(appId: user.appId, userId: user.id)
        let events = self.events
        let updated = try await store.updateUser(lookup, { user in
            user.profile = Profile(locale: user.profile.locale)
            user.metadata = Metadata()
            user.identities = []
        }, events: { before, after in before == after ? [] : [events.userUpdated(after)] })
        guard let updated else { throw ParleyError.notFound(.user) }
        return updated
    }
}
