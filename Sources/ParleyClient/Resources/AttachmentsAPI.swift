import Foundation

/// File uploads: UploadAttachment, DeleteAttachment.
public struct AttachmentsAPI: Sendable {
    let transport: Transport

    /// Uploads a file as `multipart/form-data` and answers its public URL (UploadAttachment,
    /// `POST /v2/apps/{appId}/attachments?access=public`).
    /// - Parameters:
    ///   - bytes: The file's content (up to 50 MB).
    ///   - fileName: The name the URL ends with.
    ///   - contentType: The file's media type, e.g. `image/png`.
    ///   - purpose: `for`: `.message` deletes the file with the message that uses it.
    ///   - conversationId: With `.message`, ties the file to a conversation.
    /// - Throws: ``SunshineClientError``: `400` for a type not allowed, `413` for a file too large.
    public func upload(
        appId: String, bytes: some Sequence<UInt8>, fileName: String, contentType: String, for purpose: AttachmentPurpose? = nil,
        conversationId: String? = nil
    ) async throws(SunshineClientError) -> Attachment {
        var form = MultipartForm()
        form.addFile(name: "source", fileName: fileName, contentType: contentType, bytes: bytes)
        form.finish()
        var query = [QueryItem("access", "public")]
        if let purpose { query.append(QueryItem("for", purpose.rawValue)) }
        if let conversationId { query.append(QueryItem("conversationId", conversationId)) }
        var request = APIRequest(.POST, path("v2", "apps", appId, "attachments"), query: query)
        request.body = form.body
        request.contentType = form.contentType
        return try await transport.value(request, at: "attachment")
    }

    /// Deletes an uploaded file by its URL (DeleteAttachment, `POST /v2/apps/{appId}/attachments/remove`).
    /// - Throws: ``SunshineClientError``: `404 not_found`, `400` for a URL on another host.
    public func remove(appId: String, mediaUrl: String) async throws(SunshineClientError) {
        try await transport.empty(APIRequest(.POST, path("v2", "apps", appId, "attachments", "remove")).json(["mediaUrl": mediaUrl]))
    }
}
