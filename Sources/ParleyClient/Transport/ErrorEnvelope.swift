/// `{"errors": [{code, title}]}`.
struct ErrorEnvelope: Decodable {
    var errors: [APIErrorDetail]
}
