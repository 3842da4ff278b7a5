import Foundation
import ParleyClient
import Testing

/// The client library's suites, one test at a time: each starts a live server with real sockets,
/// and run all at once beside the rest of the HTTP suite they starved the two cores (other live
/// tests' requests passed their timeouts in the PostgreSQL run).
@Suite("Client library", .serialized)
enum ClientLibraryTests {}

/// ParleyClient against a live in-process Parley: the server on a real port, the library over
/// real HTTP (AsyncHTTPClient), as a program using it would be.
enum ClientLibrary {
    /// Quick retries, so tests about them take milliseconds.
    static let fastRetry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100))

    /// The bootstrap account key, as the library's credentials.
    static let account = ParleyClient.Credentials.basic(keyId: TestServer.accountKeyId, secret: TestServer.accountSecret)

    /// `http://127.0.0.1:<port>` of a `live: true` server.
    static func baseURL(_ api: APIClient) throws -> String {
        "http://127.0.0.1:\(try #require(api.client.port))"
    }

    /// A client of the live server behind `api`.
    static func client(_ api: APIClient, _ credentials: ParleyClient.Credentials = account, retry: RetryPolicy = fastRetry) throws -> SunshineClient {
        // A long timeout: under the whole suite's load an attempt can wait minutes for the cores.
        SunshineClient(baseURL: try baseURL(api), credentials: credentials, retry: retry, timeout: .seconds(300))
    }

    /// A live server and an account-key client of it.
    static func run(_ test: @escaping @Sendable (SunshineClient, APIClient) async throws -> Void) async throws {
        try await TestServer.run(live: true) { api in
            try await test(try client(api), api)
        }
    }

    /// An app named `name` and an app key of it, both made through the library.
    static func app(_ client: SunshineClient, _ name: String = "Client Library") async throws -> (appId: String, key: APIKey) {
        let app = try await client.apps.create(AppCreate(displayName: name))
        let key = try await client.appKeys.create(appId: app.id, displayName: "library key")
        return (app.id, key)
    }

    /// Basic credentials of a key the API answered.
    static func basic(_ key: APIKey) -> ParleyClient.Credentials {
        .basic(keyId: key.id, secret: key.secret ?? "")
    }

    /// Runs `body` and returns the `SunshineClientError` it throws (failing the test when it throws
    /// none or another error).
    static func error(_ body: () async throws -> Void) async -> SunshineClientError? {
        do {
            try await body()
            Issue.record("expected a SunshineClientError, got none")
        } catch let error as SunshineClientError {
            return error
        } catch {
            Issue.record("expected a SunshineClientError, got \(error)")
        }
        return nil
    }
}
