import HTTPTypes

extension HTTPFields {
    /// The field's value, as `self[name]` gives it: nil when absent, the values joined when the
    /// field is sent more than once.
    ///
    /// Why: the subscript joins the values of even a single field into a new string through a lazy
    /// sequence; for `Authorization` on every request that was ≈ 0.8 % of a post's CPU
    /// (BENCHMARKS.md, "Round 9").
    func value(of name: HTTPField.Name) -> String? {
        var found: String?
        for field in self where field.name == name {
            guard found == nil else { return self[name] }
            found = field.value
        }
        return found
    }
}

extension HTTPField.Name {
    /// `nosniff`: browsers take the served `Content-Type` as it is.
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    /// The request's id, as the log's lines carry it (`requestId`): sent back on every answer, and
    /// taken from the request when a proxy in front has already given it one.
    static let xRequestID = HTTPField.Name("X-Request-Id")!
    /// A client's key for retrying a POST safely (docs/DECISIONS.md "Idempotency keys").
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// `true` on an answer replayed for a retried `Idempotency-Key`, as Stripe marks them.
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
    /// HTTP/1.0 caches' `no-cache`, which RFC 6749 §5.1 still asks of token answers.
    static let pragma = HTTPField.Name("Pragma")!
}
