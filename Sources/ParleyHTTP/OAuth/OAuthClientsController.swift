import Hummingbird
import ParleyDomain
import ParleyWire

/// `/admin/oauthClients` (Parley's extension; account keys only): the OAuth clients that may ask
/// for access to apps. `parley oauth-clients` calls it.
struct OAuthClientsController {
    let oauth: OAuthService
    let authenticator: Authenticator

    func register(on router: Router<APIRequestContext>) {
        let oauth = self.oauth
        let authenticator = self.authenticator
        @Sendable func requireAccount(_ request: Request) async throws {
            let principal = try await authenticator.authenticate(authorization: request.headers.value(of: .authorization))
            guard principal.scope == .account else { throw ParleyError.forbidden("OAuth clients are managed with an account key") }
        }
        router.post("/admin/oauthClients") { request, context -> Response in
            try await requireAccount(request)
            let body = try await RequestBodyDecoder.decode(OAuthClientBody.self, from: request, context: context)
            let (client, secret) = try await oauth.registerClient(name: body.name, redirectURIs: body.redirectUris)
            return try JSONResponse.make(OAuthClientEnvelope(oauthClient: OAuthClientWire(client, secret: secret)), status: .created)
        }
        router.get("/admin/oauthClients") { request, _ -> Response in
            try await requireAccount(request)
            return try JSONResponse.make(OAuthClientListEnvelope(oauthClients: try await oauth.clients().map { OAuthClientWire($0) }))
        }
        router.delete("/admin/oauthClients/:clientId") { request, context -> Response in
            try await requireAccount(request)
            try await oauth.deleteClient(id: context.parameters.get("clientId") ?? "")
            return try JSONResponse.empty()
        }
    }
}
