import Foundation
import Hummingbird
import HummingbirdTesting
import ParleyDomain
import ParleyServer

/// Starts the real composition (`buildApplication`) on a fresh SQLite file and hands the test an
/// `APIClient` authenticated with the bootstrap account key.
enum TestServer {
    static let accountKeyId = "act_0123456789abcdef01234567"
    static let accountSecret = "test-account-secret-that-is-long-enough-for-hs256"
    /// Fixed so a test can restart the server on the same file and still read its key secrets.
    static let serverKey = [UInt8](repeating: 7, count: 32)

    static var account: Credentials { Credentials(id: accountKeyId, secret: accountSecret) }

    static func temporaryDatabasePath() -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("parley.sqlite").path
    }

    /// For tests about channel sends: 3 attempts, retried within a fraction of a second.
    static let fastChannelPolicy = RetryPolicy(maxAttempts: 3, baseDelaySeconds: 0.1, requestTimeoutSeconds: 5)
    /// For the rest: after a first failed send (nothing listens at the default Mailgun URL; the
    /// short timeout ends AsyncHTTPClient's reconnecting) the next attempt is a minute away, so
    /// pending clients stay pending for the whole test.
    static let slowChannelPolicy = RetryPolicy(maxAttempts: 5, baseDelaySeconds: 120, requestTimeoutSeconds: 0.3)

    static func configuration(
        databasePath: String, messageLimit: Int = 30_000, mailgunBaseURL: String = "http://127.0.0.1:9",
        channelPolicy: RetryPolicy = slowChannelPolicy, promptExpirySeconds: Double = 86_400
    ) -> ServerConfiguration {
        ServerConfiguration(
            port: 0, database: .sqlite(path: databasePath), accountKey: (accountKeyId, accountSecret),
            serverKey: .bytes(serverKey), publicBaseURL: "http://parley.test", logLevel: .error, messageLimit: messageLimit,
            channelPolicy: channelPolicy, mailgunBaseURL: mailgunBaseURL, promptExpirySeconds: promptExpirySeconds)
    }

    /// `mailgunBaseURL`: where Mailgun is (a `FakeMailgun`); by default a closed port.
    static func run(
        databasePath: String = temporaryDatabasePath(), messageLimit: Int = 30_000, mailgunBaseURL: String = "http://127.0.0.1:9",
        channelPolicy: RetryPolicy = slowChannelPolicy, promptExpirySeconds: Double = 86_400,
        _ test: @escaping @Sendable (APIClient) async throws -> Void
    ) async throws {
        let app = try await buildApplication(
            configuration(
                databasePath: databasePath, messageLimit: messageLimit, mailgunBaseURL: mailgunBaseURL, channelPolicy: channelPolicy,
                promptExpirySeconds: promptExpirySeconds),
            announce: { _ in })
        try await app.test(.router) { client in
            try await test(APIClient(client: client, credentials: account))
        }
    }
}
