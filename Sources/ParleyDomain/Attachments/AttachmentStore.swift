/// The records of attachments (their bytes are in an `AttachmentStorage`).
///
/// Deleting a record, directly or with the message, conversation, user or app it belongs to,
/// queues its token for removal in the same transaction; `AttachmentService.sweep` removes the
/// bytes of queued tokens.
public protocol AttachmentStore: Sendable {
    func insertAttachment(_ attachment: Attachment) async throws
    func attachment(token: AttachmentToken) async throws -> Attachment?
    /// Deletes the app's attachment; false when it has none by that token.
    func deleteAttachment(appId: ResourceID, token: AttachmentToken) async throws -> Bool
    /// Deletes the attachments of messages `userId` wrote (DeleteUserPersonalInformation); how many.
    func deleteAttachments(appId: ResourceID, userId: ResourceID) async throws -> Int
    /// Deletes uploads made `for=message` before `createdBefore` that no message uses; how many.
    func deleteUnusedAttachments(createdBefore: Timestamp) async throws -> Int
    /// Tokens whose records were deleted and whose bytes may still be stored, oldest first.
    func attachmentRemovals(limit: Int) async throws -> [AttachmentToken]
    /// The bytes of these tokens are gone: forget them.
    func forgetAttachmentRemovals(_ tokens: [AttachmentToken]) async throws
    /// Which of `tokens` have a record.
    func existingAttachments(_ tokens: [AttachmentToken]) async throws -> Set<AttachmentToken>
}
