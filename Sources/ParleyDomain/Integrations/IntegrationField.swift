/// One field of an integration type, as the spec describes it: its JSON kind, who may see it,
/// and when it may be written. The catalog of types is built from these, so every type is
/// validated, merged and shown by the same code.
public struct IntegrationField: Sendable {
    public enum Kind: Sendable {
        case string(minLength: Int = 0, maxLength: Int? = nil)
        case oneOf([String])
        /// 3 or 6 hex digits, as the Web Messenger's colours.
        case color
        case bool
        case number
        case stringArray
        /// The Web Messenger's `prechatCapture` object, with its form fields.
        case prechatCapture
    }

    public enum Access: Sendable {
        /// Shown in responses.
        case visible
        /// Write-only: a credential. Stored sealed, never shown.
        case secret
        /// Set by the server (or by the channel); refused in requests.
        case serverSet
        /// Made by the server when the integration is created (32 random hex digits, as
        /// MessageBird's `webhookSecret`); refused in requests.
        case generated
    }

    let name: String
    let kind: Kind
    let access: Access
    let requiredOnCreate: Bool
    let updatable: Bool
    let nullable: Bool
    /// Filled in on create when the request leaves the field out.
    let defaultValue: JSONValue?

    public static func field(
        _ name: String, _ kind: Kind, _ access: Access = .visible, required: Bool = false, updatable: Bool = false,
        nullable: Bool = false, default defaultValue: JSONValue? = nil
    ) -> IntegrationField {
        IntegrationField(
            name: name, kind: kind, access: access, requiredOnCreate: required, updatable: updatable, nullable: nullable,
            defaultValue: defaultValue)
    }
}
