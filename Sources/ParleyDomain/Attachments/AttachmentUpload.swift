/// One UploadAttachment in progress: the HTTP layer starts the `source` part, feeds its bytes as
/// they arrive and finishes it; the size limit is checked on every write, so an oversized upload
/// stops at the limit (413), and whatever fails leaves no file behind.
public struct AttachmentUpload: Sendable {
    let appId: ResourceID
    let conversationId: ResourceID?
    let forMessage: Bool
    let rules: AttachmentRules
    let storage: any AttachmentStorage
    let store: any AttachmentStore
    let now: @Sendable () -> Timestamp

    public let token = AttachmentToken.random()
    private var writer: (any AttachmentWriter)?
    private var written: Int64 = 0
    private var fileName = "file"
    private var mediaType = "application/octet-stream"

    init(
        appId: ResourceID, conversationId: ResourceID?, forMessage: Bool, rules: AttachmentRules, storage: any AttachmentStorage,
        store: any AttachmentStore, now: @escaping @Sendable () -> Timestamp
    ) {
        self.appId = appId
        self.conversationId = conversationId
        self.forMessage = forMessage
        self.rules = rules
        self.storage = storage
        self.store = store
        self.now = now
    }

    /// The `source` part begins: its type must be allowed. A second file part is refused.
    public mutating func begin(fileName: String?, declaredType: String?) throws {
        guard writer == nil else { throw ParleyError.badRequest("Give one source file") }
        self.fileName = AttachmentRules.safeFileName(fileName)
        mediaType = AttachmentRules.mediaType(declared: declaredType, fileName: self.fileName)
        guard rules.allows(mediaType) else { throw ParleyError.badRequest("Files of type \(mediaType) cannot be uploaded") }
        writer = try storage.create(token)
    }

    public mutating func write(_ bytes: [UInt8]) throws {
        guard let writer else { return }
        written += Int64(bytes.count)
        guard written <= rules.maximumBytes else {
            writer.discard()
            self.writer = nil
            throw ParleyError(kind: .payloadTooLarge, code: "payload_too_large", title: "Attachments are limited to \(rules.maximumBytes) bytes")
        }
        try writer.write(bytes)
    }

    /// The upload ended: the file is made durable and recorded.
    public mutating func finish() async throws -> Attachment {
        guard let writer else { throw ParleyError.badRequest("source is required: the file, as a multipart/form-data part") }
        self.writer = nil
        do {
            let (size, digest) = try writer.commit()
            let attachment = Attachment(
                token: token, appId: appId, conversationId: conversationId, forMessage: forMessage, mediaType: mediaType, fileName: fileName,
                size: size, digest: digest, createdAt: now())
            try await store.insertAttachment(attachment)
            return attachment
        } catch {
            writer.discard()
            try? storage.remove(token)
            throw error
        }
    }

    /// The request failed before `finish`: nothing stays.
    public mutating func abandon() {
        writer?.discard()
        writer = nil
    }
}
