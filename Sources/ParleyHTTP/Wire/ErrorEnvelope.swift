/// The API's one error body: `{"errors":[{"code","title"}]}`.
struct ErrorEnvelope: Encodable {
    struct Item: Encodable {
        var code: String
        var title: String
    }

    var errors: [Item]

    init(code: String, title: String) {
        self.errors = [Item(code: code, title: title)]
    }
}
