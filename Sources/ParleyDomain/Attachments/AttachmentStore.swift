/// The records of attachments (their bytes are in an `AttachmentStorage`).
public protocol AttachmentStore: Sendable {
    func insertAttachment(_ attachment: Attachment) async throws
    func attachment(token: AttachmentToken) async throws -> Attachment?
    /// Deletes the app's attachment; false when it has none by that token.
    func deleteAttachment(appId: ResourceID, token: AttachmentToken) async throws -> Bool
}
