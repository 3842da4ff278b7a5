import Foundation
import Hummingbird
import HummingbirdTesting
import ParleyDomain
import ParleyServer
import ParleyTestSupport

/// Starts the real composition (`buildApplication`) on a fresh database and hands the test an
/// `APIClient` authenticated with the bootstrap account key.
///
/// The database is a fresh SQLite file, or, with `PARLEY_TEST_DATABASE=postgres` (and
/// `PARLEY_TEST_POSTGRES_URL`), a fresh PostgreSQL database: the whole HTTP suite runs on either.
enum TestServer {
    static let accountKeyId = "act_0123456789abcdef01234567"
    static let accountSecret = "test-account-secret-that-is-long-enough-for-hs256"
    /// Fixed so a test can restart the server on the same file and still read its key secrets.
    static let serverKey = [UInt8](repeating: 7, count: 32)

    static var account: Credentials { Credentials(id: accountKeyId, secret: accountSecret) }

    static var usesPostgres: Bool { ProcessInfo.processInfo.environment["PARLEY_TEST_DATABASE"] == "postgres" }

    /// A fresh SQLite path, or the URL of a PostgreSQL database `run` creates on first use.
    static func temporaryDatabasePath() -> String {
        if usesPostgres {
            do {
                return try PostgresTestDatabase.freshURL()
            } catch {
                fatalError("PARLEY_TEST_DATABASE=postgres needs PARLEY_TEST_POSTGRES_URL: \(error)")
            }
        }
        return Scratch.directory("http").appendingPathComponent("parley.sqlite").path
    }

    /// For tests about channel sends: 3 attempts, retried within a fraction of a second.
    static let fastChannelPolicy = RetryPolicy(maxAttempts: 3, baseDelaySeconds: 0.1, requestTimeoutSeconds: 5)
    /// For the rest: after a first failed send (nothing listens at the default Mailgun URL; the
    /// short timeout ends AsyncHTTPClient's reconnecting) the next attempt is a minute away, so
    /// pending clients stay pending for the whole test.
    static let slowChannelPolicy = RetryPolicy(maxAttempts: 5, baseDelaySeconds: 120, requestTimeoutSeconds: 0.3)

    static let loopbackAllowed = OutboundAddressPolicy(allowList: "127.0.0.0/8")!

    static func configuration(
        databasePath: String, messageLimit: Int = 30_000, mailgunBaseURL: String = "http://127.0.0.1:9",
        twilioBaseURL: String = "http://127.0.0.1:9", telegramBaseURL: String = "http://127.0.0.1:9", whatsappBaseURL: String = "http://127.0.0.1:9",
        messengerBaseURL: String = "http://127.0.0.1:9", messagebirdBaseURL: String = "http://127.0.0.1:9", channelPolicy: RetryPolicy = slowChannelPolicy,
        promptExpirySeconds: Double = 86_400, outboundPolicy: OutboundAddressPolicy = loopbackAllowed, attachmentRules: AttachmentRules = AttachmentRules(),
        realtimePingSeconds: Double = 15, rateLimit: RateLimit? = nil, metricsToken: String? = nil
    ) -> ServerConfiguration {
        var configuration = ServerConfiguration(
            port: 0, database: databasePath.hasPrefix("postgres") ? try! DatabaseLocation(databasePath) : .sqlite(path: databasePath), accountKey: (accountKeyId, accountSecret),
            serverKey: .bytes(serverKey), publicBaseURL: "http://parley.test", logLevel: .error, messageLimit: messageLimit,
            channelPolicy: channelPolicy, channelAPIURLs: [
                "mailgun": mailgunBaseURL, "twilio": twilioBaseURL, "telegram": telegramBaseURL, "whatsapp": whatsappBaseURL,
                "messenger": messengerBaseURL, "instagram": messengerBaseURL, "messagebird": messagebirdBaseURL,
            ], promptExpirySeconds: promptExpirySeconds,
            // Dozens of servers start at once on two cores: patience, not the production default.
            databaseTimeoutSeconds: 60, databaseConnections: 2,
            // The tests' fakes (webhook receivers, Mailgun) listen on loopback.
            outboundPolicy: outboundPolicy,
            attachmentsDirectory: attachmentsDirectory(databasePath),
            attachmentRules: attachmentRules, realtimePingSeconds: realtimePingSeconds)
        // PostgreSQL notifies every listener of a database of every notification: with a cache
        // listener each, the suite's servers woke each other for every post. Caches are tested by
        // PostgresNodeCacheTests and, in real processes, MultiNodeTests.
        configuration.databaseCaching = false
        configuration.rateLimit = rateLimit
        configuration.metricsToken = metricsToken
        // Live tests' connections (real sockets) wait as long as the loaded suite makes them: a
        // request whose handler the busy process starts late leaves its body unread, which the
        // idle limit would take for a silent client. The limits themselves are SlowClientTests'
        // (real processes).
        configuration.connectionLimits.headerTimeoutSeconds = 600
        configuration.connectionLimits.idleTimeoutSeconds = 600
        return configuration
    }

    /// Beside the SQLite file, as by default; for a PostgreSQL database, one directory of the test
    /// process per database (the default, the working directory, is no place for tests' files), so a
    /// server restarted on the database finds its files.
    static func attachmentsDirectory(_ databasePath: String) -> String {
        guard databasePath.hasPrefix("postgres") else { return databasePath + ".attachments" }
        let name = databasePath.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? String($0) : "_" }.joined()
        return Scratch.root.appendingPathComponent("attachments-\(name)").path
    }

    /// `live`: on a real port (the realtime tests' WebSockets need one; `APIClient.client.port`).
    /// `mailgunBaseURL`, `twilioBaseURL`, `telegramBaseURL`, `whatsappBaseURL`, `messengerBaseURL`,
    /// `messagebirdBaseURL`: where the providers are (a `FakeMailgun`, a `FakeTwilio`, a `FakeTelegram`,
    /// a `FakeWhatsApp`, a `FakeGraph`, a `FakeMessageBird`); by default a closed port (for Telegram and
    /// Messenger's Graph API, a fake taking any token).
    static func run(
        databasePath: String = temporaryDatabasePath(), messageLimit: Int = 30_000, mailgunBaseURL: String = "http://127.0.0.1:9",
        twilioBaseURL: String = "http://127.0.0.1:9", telegramBaseURL: String? = nil, whatsappBaseURL: String = "http://127.0.0.1:9",
        messengerBaseURL: String? = nil, messagebirdBaseURL: String = "http://127.0.0.1:9", channelPolicy: RetryPolicy = slowChannelPolicy,
        promptExpirySeconds: Double = 86_400, outboundPolicy: OutboundAddressPolicy = loopbackAllowed, attachmentRules: AttachmentRules = AttachmentRules(),
        live: Bool = false, realtimePingSeconds: Double = 15, rateLimit: RateLimit? = nil, metricsToken: String? = nil,
        _ test: @escaping @Sendable (APIClient) async throws -> Void
    ) async throws {
        // CreateIntegration checks a telegram token with Telegram: by default, with a fake taking any.
        let telegramBaseURL = if let telegramBaseURL { telegramBaseURL } else { try await FakeTelegram.shared.value.url }
        // Messenger's and Instagram's page tokens are checked with Meta's Graph API: likewise.
        let messengerBaseURL = if let messengerBaseURL { messengerBaseURL } else { try await FakeGraph.shared.value.url }
        if databasePath.hasPrefix("postgres") { try await PostgresTestDatabase.create(databasePath) }
        let server = ServerControl()
        let app = try await buildApplication(
            configuration(
                databasePath: databasePath, messageLimit: messageLimit, mailgunBaseURL: mailgunBaseURL, twilioBaseURL: twilioBaseURL,
                telegramBaseURL: telegramBaseURL, whatsappBaseURL: whatsappBaseURL, messengerBaseURL: messengerBaseURL,
                messagebirdBaseURL: messagebirdBaseURL, channelPolicy: channelPolicy,
                promptExpirySeconds: promptExpirySeconds, outboundPolicy: outboundPolicy, attachmentRules: attachmentRules,
                realtimePingSeconds: realtimePingSeconds, rateLimit: rateLimit, metricsToken: metricsToken),
            announce: { _ in }, now: server.now, passes: server.passes)
        // `live`: a real listening socket (WebSockets need one); else requests go in process.
        try await app.test(live ? .live : .router) { client in
            try await test(APIClient(client: client, credentials: account, server: server))
        }
    }
}
