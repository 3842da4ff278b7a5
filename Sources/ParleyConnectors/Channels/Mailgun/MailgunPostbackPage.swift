import ParleyDomain
import ParleyWire

/// What a person sees on following an email's postback link (`MailgunPostbackLink`): GET shows the
/// choice with a button that confirms it (mail scanners and link previews open links on their
/// own; they do not submit forms), and that POST records `conversation:postback`. The link's
/// signature is checked first; a link that is not Parley's is 401, a choice no longer there 404.
struct MailgunPostbackPage {
    let services: ChannelServices

    func receive(_ request: InboundRequest, integration: Integration, secrets: [String: String]) async throws -> InboundReply {
        guard let key = secrets["apiKey"], let link = MailgunPostbackLink.verified(query: request.query, key: key) else {
            throw ParleyError.unauthorized("This link was not made by this Parley server")
        }
        switch request.method {
        case .get:
            let text = try await services.inbound.postbackText(
                appId: request.appId, integrationId: integration.id, jobId: link.jobId, action: link.action)
            return Self.page(
                title: "Send your choice?",
                body: """
                    <form method="post" action="\(request.url.htmlEscaped)">
                    <button type="submit">\(text.htmlEscaped)</button>
                    </form>
                    """)
        case .post:
            _ = try await services.inbound.postbackChosen(
                appId: request.appId, integrationId: integration.id, channel: integration.type, jobId: link.jobId, action: link.action)
            return Self.page(title: "Thank you", body: "<p>Your choice was sent. You can close this page.</p>")
        }
    }

    static func page(title: String, body: String) -> InboundReply {
        .document(
            contentType: "text/html; charset=utf-8",
            text: """
                <!doctype html>
                <html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>\(title)</title></head>
                <body><h1>\(title)</h1>
                \(body)
                </body></html>
                """)
    }
}
