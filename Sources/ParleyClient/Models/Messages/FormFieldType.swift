/// The kind of a form field.
///
/// An open set: a value this library does not list decodes as itself (see ``StringEnumeration``).
public struct FormFieldType: StringEnumeration {
    public var rawValue: String
    /// Wraps `rawValue`, listed below or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `email`: An email address.
    public static let email: FormFieldType = "email"
    /// `select`: A choice among `options`.
    public static let select: FormFieldType = "select"
    /// `text`: Free text.
    public static let text: FormFieldType = "text"
}
