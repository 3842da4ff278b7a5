/// One entry of the API's error envelope, `{"errors": [{"code", "title"}]}`.
///
/// `code` is machine-readable (`user_not_found`, `bad_request`, `conflict`…); `title` is for people
/// and names the offending field.
public struct APIErrorDetail: Codable, Sendable, Hashable {
    /// The error code, e.g. `user_not_found`.
    public var code: String?
    /// A human-readable description, e.g. "User not found".
    public var title: String?

    /// An entry with this code and title.
    public init(code: String?, title: String?) {
        self.code = code
        self.title = title
    }
}
