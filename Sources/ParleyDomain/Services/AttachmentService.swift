/// UploadAttachment and DeleteAttachment, and what serving an attachment reads.
public struct AttachmentService: Sendable {
    private let store: any AttachmentStore & ConversationStore
    private let storage: any AttachmentStorage
    public let rules: AttachmentRules
    private let now: @Sendable () -> Timestamp

    public init(
        store: any AttachmentStore & ConversationStore, storage: any AttachmentStorage, rules: AttachmentRules = AttachmentRules(),
        now: @escaping @Sendable () -> Timestamp = { .now() }
    ) {
        self.store = store
        self.storage = storage
        self.rules = rules
        self.now = now
    }

    /// The query of an UploadAttachment, checked before any byte is read: `access` must be
    /// `public` (the spec: private is not supported), `for` only `message`, and `conversationId`
    /// a conversation of the app (it links the upload to it; with `for=message` the upload goes
    /// with it).
    public func upload(appId: ResourceID, access: String?, for purpose: String?, conversationId: String?) async throws -> AttachmentUpload {
        guard let access else { throw ParleyError.badRequest("access is required") }
        guard access == "public" else { throw ParleyError.badRequest("access must be public") }
        if let purpose, purpose != "message" { throw ParleyError.badRequest("for must be message") }
        var conversation: ResourceID?
        if let conversationId {
            guard let id = ResourceID(conversationId), try await store.conversation(appId: appId, id: id) != nil else {
                throw ParleyError.badRequest("conversationId must be a conversation of this app")
            }
            conversation = id
        }
        return AttachmentUpload(
            appId: appId, conversationId: conversation, forMessage: purpose == "message", rules: rules, storage: storage, store: store, now: now)
    }

    /// DeleteAttachment: `token` from a `mediaUrl` Parley served; gone at once.
    public func delete(appId: ResourceID, token: AttachmentToken) async throws {
        guard try await store.deleteAttachment(appId: appId, token: token) else {
            throw ParleyError(kind: .notFound, code: "not_found", title: "Attachment not found")
        }
        // Gone at once; if this fails, the sweep removes the file later.
        if (try? storage.remove(token)) != nil { try? await store.forgetAttachmentRemovals([token]) }
    }

    /// How old a file without a record must be before a sweep takes it for an orphan: far longer
    /// than an upload takes between its file and its record.
    public static let orphanAgeSeconds: Int64 = 3600

    /// One pass of the janitor: deletes `for=message` uploads no message used within
    /// `rules.unusedLifetimeSeconds`, removes the files of every deleted record, and with
    /// `orphans`, files written over an hour ago that no record knows (listing every file, so it
    /// runs rarely).
    public func sweep(orphans: Bool) async throws -> AttachmentSweep {
        var sweep = AttachmentSweep()
        let now = now()
        sweep.expired = try await store.deleteUnusedAttachments(
            createdBefore: Timestamp(millisecondsSince1970: now.millisecondsSince1970 - rules.unusedLifetimeSeconds * 1000))
        while true {
            let tokens = try await store.attachmentRemovals(limit: 500)
            if tokens.isEmpty { break }
            for token in tokens { try storage.remove(token) }
            try await store.forgetAttachmentRemovals(tokens)
            sweep.removed += tokens.count
        }
        if orphans {
            let (files, unfinished) = try storage.files(
                writtenBefore: Timestamp(millisecondsSince1970: now.millisecondsSince1970 - Self.orphanAgeSeconds * 1000))
            sweep.orphans = unfinished
            for start in stride(from: 0, to: files.count, by: 500) {
                let batch = Array(files[start..<min(files.count, start + 500)])
                let known = try await store.existingAttachments(batch)
                for token in batch where !known.contains(token) {
                    try storage.remove(token)
                    sweep.orphans += 1
                }
            }
        }
        return sweep
    }

    /// An attachment and its bytes, for serving; nil when there is none (or its file is gone).
    public func open(_ token: AttachmentToken) async throws -> (Attachment, any AttachmentReader)? {
        guard let attachment = try await store.attachment(token: token), let reader = try storage.open(token) else { return nil }
        return (attachment, reader)
    }
}
