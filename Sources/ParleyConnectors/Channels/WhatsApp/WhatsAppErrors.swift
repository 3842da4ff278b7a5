/// The Cloud API's error codes Parley treats apart, and how a refusal reads in a failure event.
enum WhatsAppErrors {
    /// "Re-engagement message": more than 24 hours since the user last wrote. Only a template
    /// reaches them then; WhatsApp reports it in the message's `failed` status.
    static let outsideWindow = 131_047

    /// Throughput and pair rate limits, and Graph's own: try again later, not a refusal.
    static func isThrottling(_ code: Int?) -> Bool {
        guard let code else { return false }
        return [4, 80007, 130_429, 131_048, 131_056].contains(code)
    }

    static func describe(code: Int?, title: String?) -> String? {
        guard let code else { return title }
        if code == outsideWindow {
            return "WhatsApp error 131047: more than 24 hours have passed since the user last wrote; only a message template (schema whatsapp) can reach them now"
        }
        return "WhatsApp error \(code): \(title ?? "refused")"
    }
}
