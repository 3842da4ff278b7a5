/// The API's one error body: `{"errors":[{"code","title"}]}`.
public struct ErrorEnvelope: Encodable {
    public struct Item: Encodable {
        public var code: String
        public var title: String
    }

    public var errors: [Item]

    public init(code: String, title: String) {
        self.errors = [Item(code: code, title: title)]
    }
}
