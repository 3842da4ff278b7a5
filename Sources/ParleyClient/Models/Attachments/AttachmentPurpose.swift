/// What an uploaded attachment is for (UploadAttachment's `for`): it is then deleted with what uses it.
///
/// An open set: a value this library does not list decodes as itself (see ``StringEnumeration``).
public struct AttachmentPurpose: StringEnumeration {
    public var rawValue: String
    /// Wraps `rawValue`, listed below or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `message`: A message's media: deleted with the message, its conversation or its user.
    public static let message: AttachmentPurpose = "message"
}
