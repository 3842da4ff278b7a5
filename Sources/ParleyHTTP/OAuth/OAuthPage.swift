import Hummingbird
import ParleyDomain
import ParleyWire

/// The consent pages of `GET /oauth/authorize`: plain HTML forms (no script), every value escaped,
/// never framed (a framed Allow button could be clicked without the owner seeing it).
enum OAuthPage {
    static func signIn(client: OAuthClient, ticket: String, error: String? = nil) -> String {
        page(
            title: "Sign in to continue to \(client.name)",
            """
            <p><strong>\(client.name.htmlEscaped)</strong> asks for access to one of your apps. Sign in with an account key \
            (to choose among your apps) or with an app key.</p>
            \(error.map { "<p class=\"error\" role=\"alert\">\($0.htmlEscaped)</p>" } ?? "")
            <form method="post" action="/oauth/consent">
              <input type="hidden" name="ticket" value="\(ticket.htmlEscaped)">
              <label>Key id <input name="keyId" autocomplete="username" required placeholder="act_… or app_…"></label>
              <label>Secret <input name="secret" type="password" autocomplete="current-password" required></label>
              <button type="submit">Sign in</button>
            </form>
            """)
    }

    static func consent(client: OAuthClient, apps: [App], ticket: String, keyId: KeyID) -> String {
        let choices = apps.enumerated().map { index, app in
            """
            <label class="app"><input type="radio" name="appId" value="\(app.id.rawValue)"\(index == 0 ? " checked" : "")> \
            \(app.displayName.htmlEscaped) <code>\(app.id.rawValue)</code></label>
            """
        }.joined(separator: "\n")
        return page(
            title: "Allow \(client.name)?",
            """
            <p>Signed in with <code>\(keyId.rawValue)</code>.</p>
            <p><strong>\(client.name.htmlEscaped)</strong> will act on the app you choose as an app key does: its users, \
            conversations, messages, integrations and webhooks, until the access is revoked.</p>
            <form method="post" action="/oauth/consent">
              <input type="hidden" name="ticket" value="\(ticket.htmlEscaped)">
              <fieldset><legend>App</legend>
            \(apps.isEmpty ? "<p>There is no app to grant.</p>" : choices)
              </fieldset>
              <button type="submit" name="decision" value="allow"\(apps.isEmpty ? " disabled" : "")>Allow</button>
              <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
            </form>
            """)
    }

    static func failure(_ message: String) -> String {
        page(title: "This authorization request cannot continue", "<p class=\"error\" role=\"alert\">\(message.htmlEscaped)</p>")
    }

    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'", .xContentTypeOptions: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    private static func page(title: String, _ content: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title.htmlEscaped) · Parley</title>
        <style>
        body { font: 16px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #1d1d1f; }
        h1 { font-size: 1.4rem; }
        label { display: block; margin: .75rem 0; }
        input:not([type=radio]) { display: block; width: 100%; padding: .5rem; margin-top: .25rem; box-sizing: border-box; }
        fieldset { border: 1px solid #ccc; border-radius: 6px; margin: 1rem 0; }
        button { padding: .5rem 1.25rem; margin-right: .5rem; border-radius: 6px; border: 0; background: #0b57d0; color: #fff; font-size: 1rem; }
        button.secondary { background: #e3e3e3; color: #1d1d1f; }
        .error { color: #b3261e; }
        code { font-size: .85em; color: #555; }
        </style>
        </head>
        <body>
        <h1>\(title.htmlEscaped)</h1>
        \(content)
        </body>
        </html>
        """
    }
}
