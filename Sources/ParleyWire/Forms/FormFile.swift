/// A file part of a `multipart/form-data` body (an email's attachment in Mailgun's forward).
public struct FormFile: Sendable {
    /// The field's name (`attachment-1`).
    public var name: String
    public var fileName: String
    public var contentType: String?
    public var bytes: [UInt8]
}
