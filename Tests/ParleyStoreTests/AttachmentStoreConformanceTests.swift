import Foundation
import ParleyDomain
import ParleyFiles
import ParleyTestSupport
import Synchronization
import Testing

/// Attachments go with what they belong to: the records by the store's cascades, in the deleting
/// transaction; the files by `AttachmentService.sweep`, from the removals those deletions queued.
@Suite("Store conformance: attachments' lifetimes")
struct AttachmentStoreConformanceTests {
    let ids = ResourceIDGenerator()

    final class Clock: Sendable {
        let milliseconds = Atomic<Int64>(Timestamp.now().millisecondsSince1970)
        var now: Timestamp { Timestamp(millisecondsSince1970: milliseconds.load(ordering: .relaxed)) }
        func advance(hours: Int64) { milliseconds.add(hours * 3_600_000, ordering: .relaxed) }
    }

    struct Fixture {
        let store: any ParleyStore
        let storage: LocalAttachmentStorage
        let service: AttachmentService
        let clock: Clock
        let ids: ResourceIDGenerator
        let app: App

        func user(_ externalId: String, app: App? = nil) async throws -> User {
            let user = User(id: ids.next(), appId: (app ?? self.app).id, externalId: externalId, signedUpAt: .now())
            try await store.insertUser(user)
            return user
        }

        func conversation(with user: User) async throws -> ResourceID {
            let id = ids.next()
            _ = try await store.insertConversation(
                Conversation(id: id, appId: user.appId, type: .personal, lastUpdatedAt: .now(), createdAt: .now()),
                participants: [Participant(id: ids.next(), conversationId: id, userId: user.id)], events: { _ in [] })
            return id
        }

        /// A stored file and its record, as an upload leaves them.
        func upload(forMessage: Bool = true, conversationId: ResourceID? = nil, app: App? = nil) async throws -> AttachmentToken {
            let token = AttachmentToken.random()
            let writer = try storage.create(token)
            try writer.write(Array("bytes of \(token)".utf8))
            let (size, digest) = try writer.commit()
            try await store.insertAttachment(
                Attachment(
                    token: token, appId: (app ?? self.app).id, conversationId: conversationId, forMessage: forMessage, mediaType: "image/png",
                    fileName: "a.png", size: size, digest: digest, createdAt: clock.now))
            return token
        }

        /// A message carrying `tokens`, written by `user` (else the business).
        func post(_ conversationId: ResourceID, by user: User?, carrying tokens: [AttachmentToken]) async throws {
            let message = Message(
                id: ids.next(), conversationId: conversationId, received: .now(),
                author: user.map { MessageAuthor(type: .user, userId: $0.id.rawValue) } ?? MessageAuthor(type: .business),
                content: .object(["type": .string("image"), "mediaUrl": .string("http://parley.test/attachments/x/a.png")]), source: .api,
                attachments: tokens)
            #expect(try await store.appendMessage(message, limit: 1000, events: { _, _ in [] }) != nil)
        }

        func exists(_ token: AttachmentToken) async throws -> Bool {
            let record = try await store.attachment(token: token) != nil
            let file = try storage.open(token).map { $0.close() } != nil
            #expect(record == file, "record and file of \(token) disagree")
            return record
        }
    }

    func fixture(_ factory: StoreFactory) async throws -> Fixture {
        let store = try await factory.make()
        let app = App(id: ids.next(), displayName: "App")
        try await store.insertApp(app)
        let storage = try LocalAttachmentStorage(directory: Scratch.directory("attachments"))
        let clock = Clock()
        return Fixture(
            store: store, storage: storage, service: AttachmentService(store: store, storage: storage, now: { clock.now }), clock: clock, ids: ids,
            app: app)
    }

    @Test("Uploads for messages go with their message, conversation, user, the user's personal information, or app; others stay", arguments: StoreFactory.all)
    func cascades(_ factory: StoreFactory) async throws {
        let f = try await fixture(factory)
        let ann = try await f.user("ann")
        let annConversation = try await f.conversation(with: ann)
        // Messages deleted: the uploads they carry for=message go; one not for messages stays.
        let inMessage = try await f.upload()
        let notForMessages = try await f.upload(forMessage: false)
        try await f.post(annConversation, by: ann, carrying: [inMessage, notForMessages])
        // Already used by a message: a second message does not take it over.
        let reused = try await f.upload()
        let other = try await f.conversation(with: try await f.user("other"))
        try await f.post(other, by: nil, carrying: [reused])
        try await f.post(annConversation, by: nil, carrying: [reused])
        try await f.store.deleteAllMessages(conversationId: annConversation)
        #expect(try await f.store.attachment(token: inMessage) == nil)
        #expect(try await f.store.attachment(token: notForMessages) != nil)
        #expect(try await f.store.attachment(token: reused) != nil)

        // A conversation deleted: what its messages carry, and uploads linked to it by conversationId.
        let bob = try await f.user("bob")
        let bobConversation = try await f.conversation(with: bob)
        let bobs = try await f.upload()
        try await f.post(bobConversation, by: nil, carrying: [bobs])
        let linkedOnly = try await f.upload(conversationId: bobConversation)
        #expect(try await f.store.deleteConversation(appId: f.app.id, id: bobConversation, events: []))
        #expect(try await f.store.attachment(token: bobs) == nil)
        #expect(try await f.store.attachment(token: linkedOnly) == nil)

        // A user deleted: what their messages carried.
        let cid = try await f.user("cid")
        let cidConversation = try await f.conversation(with: cid)
        let cids = try await f.upload()
        try await f.post(cidConversation, by: cid, carrying: [cids])
        #expect(try await f.store.deleteUser(UserLookup(appId: f.app.id, idOrExternalId: "cid"), events: { _ in [] }) != nil)
        #expect(try await f.store.attachment(token: cids) == nil)

        // Personal information deleted: what the user's messages carried, not the business's.
        let dee = try await f.user("dee")
        let deeConversation = try await f.conversation(with: dee)
        let dees = try await f.upload()
        let business = try await f.upload()
        try await f.post(deeConversation, by: dee, carrying: [dees])
        try await f.post(deeConversation, by: nil, carrying: [business])
        #expect(try await f.store.deleteAttachments(appId: f.app.id, userId: dee.id) == 1)
        #expect(try await f.store.attachment(token: dees) == nil)
        #expect(try await f.store.attachment(token: business) != nil)

        // An app deleted: everything it uploaded.
        let otherApp = App(id: ids.next(), displayName: "Other")
        try await f.store.insertApp(otherApp)
        let appUpload = try await f.upload(forMessage: false, app: otherApp)
        #expect(try await f.store.deleteApp(id: otherApp.id))
        #expect(try await f.store.attachment(token: appUpload) == nil)

        // The files of the six records deleted go in one sweep; the rest stay.
        let sweep = try await f.service.sweep(orphans: false)
        #expect(sweep.removed == 6 && sweep.expired == 0, "\(sweep)")
        for token in [inMessage, bobs, linkedOnly, cids, dees, appUpload] { #expect(try await !f.exists(token)) }
        for token in [notForMessages, reused, business] { #expect(try await f.exists(token)) }
        #expect(try await f.store.attachmentRemovals(limit: 10).isEmpty)
    }

    @Test("An upload for messages that no message used is removed after its lifetime; used ones and others stay", arguments: StoreFactory.all)
    func unusedUploadsExpire(_ factory: StoreFactory) async throws {
        let f = try await fixture(factory)
        let conversation = try await f.conversation(with: try await f.user("ann"))
        let unused = try await f.upload()
        let used = try await f.upload()
        let general = try await f.upload(forMessage: false)
        try await f.post(conversation, by: nil, carrying: [used])
        f.clock.advance(hours: 23)
        #expect(try await f.service.sweep(orphans: false) == AttachmentSweep())
        f.clock.advance(hours: 2)
        let sweep = try await f.service.sweep(orphans: false)
        #expect(sweep.expired == 1 && sweep.removed == 1, "\(sweep)")
        #expect(try await !f.exists(unused))
        #expect(try await f.exists(used))
        #expect(try await f.exists(general))
    }

    @Test("Files no record knows, and unfinished ones, are removed once they are an hour old", arguments: StoreFactory.all)
    func orphans(_ factory: StoreFactory) async throws {
        let f = try await fixture(factory)
        let kept = try await f.upload(forMessage: false)
        let orphan = AttachmentToken.random()
        let writer = try f.storage.create(orphan)
        try writer.write([1, 2, 3])
        _ = try writer.commit()
        let unfinished = try f.storage.create(AttachmentToken.random())
        try unfinished.write([1, 2, 3])
        #expect(try await f.service.sweep(orphans: true) == AttachmentSweep())
        f.clock.advance(hours: 2)
        #expect(try await f.service.sweep(orphans: true).orphans == 2)
        #expect(try f.storage.open(orphan) == nil)
        #expect(try await f.exists(kept))
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.storage.directory.path) == [kept.rawValue])
        unfinished.discard()
    }
}
