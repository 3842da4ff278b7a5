/// What only Parley knows about the media of a message it stores: for an image or file whose
/// `mediaUrl` is one of the app's attachments, the stored `mediaSize` and `mediaType`; and the
/// uploads made `for=message` that the message carries, to be linked to it.
public enum MessageMedia {
    public static func resolve(
        _ content: JSONValue, appId: ResourceID, store: any AttachmentStore
    ) async throws -> (content: JSONValue, attachments: [AttachmentToken]) {
        guard case .object(var fields) = content, case .string(let type)? = fields["type"], type == "image" || type == "file",
            case .string(let mediaUrl)? = fields["mediaUrl"], let token = AttachmentToken.of(mediaUrl: mediaUrl),
            let attachment = try await store.attachment(token: token), attachment.appId == appId
        else { return (content, []) }
        return (described(&fields, by: attachment), attachment.forMessage ? [token] : [])
    }

    /// `fields` with the attachment's size and type.
    public static func described(_ fields: inout [String: JSONValue], by attachment: Attachment) -> JSONValue {
        fields["mediaSize"] = .integer(attachment.size)
        fields["mediaType"] = .string(attachment.mediaType)
        return .object(fields)
    }
}
