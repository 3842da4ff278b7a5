/// A field of a form, or of a form response (where `text`, `email` or `select` holds the answer).
public struct FormField: Codable, Sendable, Hashable {
    public var type: FormFieldType
    /// Unique within the form.
    public var name: String
    public var label: String
    /// A `text` field's answer.
    public var text: String?
    /// An `email` field's answer.
    public var email: String?
    /// A `select` field's chosen options.
    public var select: [JSONValue]?
    /// `integer` or `decimal`, for text fields that take numbers.
    public var format: String?
    public var placeholder: String?
    public var minSize: Int?
    public var maxSize: Int?
    /// A `select` field's choices.
    public var options: [FormOption]?
    /// The form message a response answers (sent only).
    public var quotedMessageId: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(
        type: FormFieldType, name: String, label: String, placeholder: String? = nil, minSize: Int? = nil, maxSize: Int? = nil,
        options: [FormOption]? = nil, format: String? = nil
    ) {
        self.type = type
        self.name = name
        self.label = label
        self.placeholder = placeholder
        self.minSize = minSize
        self.maxSize = maxSize
        self.options = options
        self.format = format
    }
}
