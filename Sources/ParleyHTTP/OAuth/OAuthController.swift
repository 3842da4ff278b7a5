import Foundation
import Hummingbird
import ParleyDomain
import ParleyWire

/// The OAuth operations (docs/DECISIONS.md "OAuth"): Authorize's consent pages, GetToken's code
/// exchange (RFC 6749 §4.1), RevokeAccess and GetTokenInfo.
struct OAuthController {
    let oauth: OAuthService
    let authenticator: Authenticator
    let sessions: SessionTokens
    let now: @Sendable () -> Timestamp

    func register(on api: APIRouterBuilder, router: Router<APIRequestContext>) {
        let oauth = self.oauth
        let authenticator = self.authenticator
        let sessions = self.sessions
        let now = self.now

        api.on(.authorize) { call in
            let query = call.query
            do {
                let request = try await oauth.checkAuthorization(
                    clientId: query["client_id"], responseType: query["response_type"], redirectURI: query["redirect_uri"], state: query["state"])
                // As the spec's 302: on to the page where the owner signs in and decides.
                let ticket = try sessions.sign(ConsentTicket(request, now: now()))
                return Self.found("/oauth/consent?ticket=\(Self.queryEncoded(ticket))")
            } catch let failure as OAuthFailure {
                return Self.answer(failure)
            }
        }

        router.get("/oauth/consent") { request, _ -> Response in
            guard let text = QueryParameters(request)["ticket"], let ticket = sessions.verifyConsent(text, now: now()),
                let authorization = ticket.request, let client = try await oauth.client(id: authorization.clientId)
            else { return Self.expired() }
            return OAuthPage.response(OAuthPage.signIn(client: client, ticket: try sessions.sign(ConsentTicket(authorization, now: now()))))
        }

        // The pages' two forms: sign in (ticket, keyId, secret), then decide (ticket, appId, decision).
        router.post("/oauth/consent") { request, context -> Response in
            let body = try await request.body.collect(upTo: 16 * 1024)
            guard let form = FormFields(contentType: request.headers[.contentType], body: Array(buffer: body)),
                let ticket = form["ticket"].flatMap({ sessions.verifyConsent($0, now: now()) }), let authorization = ticket.request,
                let client = try await oauth.client(id: authorization.clientId)
            else { return Self.expired() }
            if let keyId = form["keyId"], let secret = form["secret"] {
                let principal: Principal
                do {
                    principal = try await authenticator.signIn(keyId: keyId, secret: secret, scopes: [.account, .app])
                } catch let error as ParleyError where error.kind == .unauthorized {
                    let retry = try sessions.sign(ConsentTicket(authorization, now: now()))
                    return OAuthPage.response(OAuthPage.signIn(client: client, ticket: retry, error: error.title), status: .unauthorized)
                }
                let signedIn = try sessions.sign(ConsentTicket(authorization, keyId: principal.keyId, now: now()))
                let apps = try await oauth.grantableApps(for: principal)
                return OAuthPage.response(OAuthPage.consent(client: client, apps: apps, ticket: signedIn, keyId: principal.keyId))
            }
            guard let keyId = ticket.keyId else {
                return OAuthPage.response(OAuthPage.signIn(client: client, ticket: form["ticket"] ?? "", error: "Sign in first"), status: .badRequest)
            }
            guard form["decision"] == "allow" else {
                return Self.answer(OAuthFailure(.accessDenied, "The owner denied the request", redirect: authorization))
            }
            guard let appId = form["appId"].flatMap(ResourceID.init) else {
                return OAuthPage.response(OAuthPage.failure("Choose an app to grant."), status: .badRequest)
            }
            let principal = try await authenticator.signedIn(keyId: keyId)
            let code = try await oauth.grant(authorization, appId: appId, by: principal)
            return Self.redirect(authorization, with: [("code", code)])
        }

        api.on(.getToken) { call in
            do {
                let parameters = try await TokenRequest(call.request, context: call.context)
                let issued = try await oauth.exchange(
                    grantType: parameters["grant_type"], code: parameters["code"], clientId: parameters.clientId,
                    clientSecret: parameters.clientSecret, redirectURI: parameters["redirect_uri"])
                let token = try await AccessTokenSigner.token(for: issued, issuedAt: now())
                var response = try JSONResponse.make(["access_token": token, "token_type": "Bearer"])
                // RFC 6749 §5.1: tokens are never cached.
                response.headers[.cacheControl] = "no-store"
                response.headers[.pragma] = "no-cache"
                return response
            } catch let failure as OAuthFailure {
                return try Self.tokenError(failure)
            }
        }

        api.on(.revokeAccess) { call in
            guard let principal = call.principal else { throw ParleyError.unauthorized() }
            try await oauth.revoke(principal)
            return try JSONResponse.empty()
        }

        api.on(.getTokenInfo) { call in
            guard let principal = call.principal else { throw ParleyError.unauthorized() }
            return try JSONResponse.make(AppEnvelope(app: AppWire(try await oauth.tokenApp(principal))))
        }
    }

    private static func expired() -> Response {
        OAuthPage.response(
            OAuthPage.failure("This page has expired or was not sent by this server. Start again from the application."), status: .badRequest)
    }

    /// An authorization error: sent back to the client when its redirect URI is known to be its
    /// own, else shown (RFC 6749 §4.1.2.1: never redirect to an unchecked URI).
    private static func answer(_ failure: OAuthFailure) -> Response {
        guard let request = failure.redirect else {
            return OAuthPage.response(OAuthPage.failure(failure.description), status: .badRequest)
        }
        return redirect(request, with: [("error", failure.code.rawValue), ("error_description", failure.description)])
    }

    /// 302 to the client's redirect URI with `parameters` and the request's `state` added to its query.
    private static func redirect(_ request: OAuthAuthorizationRequest, with parameters: [(String, String)]) -> Response {
        let all = parameters + (request.state.map { [("state", $0)] } ?? [])
        let query = all.map { "\($0.0)=\(Self.queryEncoded($0.1))" }.joined(separator: "&")
        return found(request.redirectURI + (request.redirectURI.contains("?") ? "&" : "?") + query)
    }

    private static func found(_ location: String) -> Response {
        Response(
            status: .found, headers: [.location: location, .contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "Found. Redirecting to \(location)")))
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func queryEncoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// RFC 6749 §5.2's body, with the API's error envelope beside it, so OAuth libraries and the
    /// Sunshine Conversations SDKs both read it.
    private static func tokenError(_ failure: OAuthFailure) throws -> Response {
        let status: HTTPResponse.Status = failure.code == .invalidClient ? .unauthorized : .badRequest
        var response = try JSONResponse.make(
            json: .object([
                "error": .string(failure.code.rawValue), "error_description": .string(failure.description),
                "errors": .array([.object(["code": .string(failure.code.rawValue), "title": .string(failure.description)])]),
            ]), status: status)
        response.headers[.cacheControl] = "no-store"
        response.headers[.pragma] = "no-cache"
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Basic realm=\"parley\"" }
        return response
    }
}
