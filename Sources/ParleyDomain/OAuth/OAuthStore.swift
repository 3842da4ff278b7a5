/// Persistence of OAuth clients and authorization codes. The access tokens themselves are app
/// keys (`APIKey.oauthClientId`), kept by the `KeyStore`.
public protocol OAuthStore: Sendable {
    func insertOAuthClient(_ client: OAuthClient) async throws
    func oauthClient(id: ResourceID) async throws -> OAuthClient?
    /// Oldest first.
    func oauthClients() async throws -> [OAuthClient]
    /// Deletes a client with its codes and every key issued to it; false when there was none.
    func deleteOAuthClient(id: ResourceID) async throws -> Bool
    /// Stores a new code, and forgets codes that expired before `forgetBefore`.
    func insertOAuthCode(_ code: OAuthCode, forgetBefore: Timestamp) async throws
    func oauthCode(hash: [UInt8]) async throws -> OAuthCode?
    /// In one transaction: a code not yet exchanged is marked as exchanged for `key`, which is
    /// inserted; a code exchanged before has that key deleted.
    func redeemOAuthCode(hash: [UInt8], issuing key: APIKey) async throws -> OAuthRedemption
}
