/// What Parley answers a provider's call with (status 200): what that provider expects to read.
public enum InboundReply: Hashable, Sendable {
    /// A JSON object telling what became of the call (`{"result": "stored", …}`): Mailgun.
    case json(JSONValue)
    /// A document in the provider's own format: Twilio reads TwiML, and an empty `<Response/>`
    /// tells it to send no reply of its own.
    case document(contentType: String, text: String)
}
