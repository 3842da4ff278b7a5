import Foundation
import Logging
import ParleyDomain
import ParleyWebhooks

/// Everything `parley serve` is configured by. Each setting has a flag and an environment
/// variable; the flag wins. Resolved once at start-up, so a missing or malformed value fails there
/// with a clear message, never later in a request.
public struct ServerConfiguration: Sendable {
    public var hostname: String
    public var port: Int
    public var database: DatabaseLocation
    /// `PARLEY_ACCOUNT_KEY_ID` / `PARLEY_ACCOUNT_KEY_SECRET`: an account key to make sure exists.
    public var accountKey: (id: String, secret: String)?
    /// Where the 32-byte server key that protects stored key secrets comes from.
    public var serverKey: ServerKeySource
    /// `PARLEY_PUBLIC_URL`: the base of absolute pagination links; derived from `Host` when unset.
    public var publicBaseURL: String?
    public var logLevel: Logger.Level
    /// `PARLEY_MESSAGE_LIMIT`: messages a conversation may hold before PostMessage answers 423.
    public var messageLimit: Int
    /// `PARLEY_WEBHOOK_MAX_ATTEMPTS`, `PARLEY_WEBHOOK_RETRY_SECONDS`, `PARLEY_WEBHOOK_TIMEOUT_SECONDS`.
    public var webhookPolicy: RetryPolicy
    /// `PARLEY_CHANNEL_MAX_ATTEMPTS`, `PARLEY_CHANNEL_RETRY_SECONDS`, `PARLEY_CHANNEL_TIMEOUT_SECONDS`: channel sends.
    public var channelPolicy: RetryPolicy
    /// `PARLEY_MAILGUN_API_URL`: Mailgun's API base (the EU region, or a test double).
    public var mailgunBaseURL: String
    /// `PARLEY_DATABASE_TIMEOUT_SECONDS` (PostgreSQL): how long a request waits for a pooled
    /// connection before answering 503. Once a connection failure has been seen the wait is a
    /// quarter of a second until the database answers again, so outages fail fast.
    public var databaseTimeoutSeconds: Double
    /// `PARLEY_DATABASE_CONNECTIONS` (PostgreSQL): the most connections this node opens. The
    /// server's `max_connections` must cover every node's.
    public var databaseConnections: Int
    /// `PARLEY_PROMPT_EXPIRY_SECONDS`: how long a `prompt` link waits for the user's yes or no.
    public var promptExpirySeconds: Double
    /// `PARLEY_HEADER_TIMEOUT_SECONDS`, `PARLEY_IDLE_TIMEOUT_SECONDS`, `PARLEY_MAX_CONNECTIONS`.
    public var connectionLimits: ConnectionLimits
    /// `PARLEY_OUTBOUND_ALLOW`: which private networks webhooks and channel calls may reach.
    public var outboundPolicy: OutboundAddressPolicy

    public init(
        hostname: String = "127.0.0.1", port: Int = 8080, database: DatabaseLocation,
        accountKey: (id: String, secret: String)? = nil, serverKey: ServerKeySource, publicBaseURL: String? = nil,
        logLevel: Logger.Level = .info, messageLimit: Int = MessageService.defaultMessageLimit, webhookPolicy: RetryPolicy = RetryPolicy(),
        channelPolicy: RetryPolicy = RetryPolicy(), mailgunBaseURL: String = "https://api.mailgun.net", promptExpirySeconds: Double = 86_400,
        databaseTimeoutSeconds: Double = 2, databaseConnections: Int = 10, connectionLimits: ConnectionLimits = ConnectionLimits(),
        outboundPolicy: OutboundAddressPolicy = OutboundAddressPolicy()
    ) {
        self.connectionLimits = connectionLimits
        self.outboundPolicy = outboundPolicy
        self.promptExpirySeconds = promptExpirySeconds
        self.hostname = hostname
        self.port = port
        self.database = database
        self.accountKey = accountKey
        self.serverKey = serverKey
        self.publicBaseURL = publicBaseURL
        self.logLevel = logLevel
        self.messageLimit = messageLimit
        self.webhookPolicy = webhookPolicy
        self.channelPolicy = channelPolicy
        self.mailgunBaseURL = mailgunBaseURL
        self.databaseTimeoutSeconds = databaseTimeoutSeconds
        self.databaseConnections = databaseConnections
    }

    /// Flags first, then the environment, then the defaults.
    public static func resolve(
        hostname: String?, port: Int?, database: String?, environment: [String: String]
    ) throws -> ServerConfiguration {
        let location = try DatabaseLocation(database ?? environment["PARLEY_DATABASE_URL"] ?? "sqlite:parley.sqlite")
        var resolvedPort = 8080
        if let port {
            resolvedPort = port
        } else if let text = environment["PARLEY_PORT"] {
            guard let value = Int(text), (0...65535).contains(value) else {
                throw ConfigurationError("PARLEY_PORT must be a port number, got '\(text)'")
            }
            resolvedPort = value
        }
        var accountKey: (String, String)?
        switch (environment["PARLEY_ACCOUNT_KEY_ID"], environment["PARLEY_ACCOUNT_KEY_SECRET"]) {
        case (nil, nil): break
        case (let id?, let secret?): accountKey = (id, secret)
        default: throw ConfigurationError("Set both PARLEY_ACCOUNT_KEY_ID and PARLEY_ACCOUNT_KEY_SECRET, or neither")
        }
        let serverKey: ServerKeySource
        if let encoded = environment["PARLEY_SERVER_KEY"] {
            guard let bytes = Data(base64Encoded: encoded), bytes.count == 32 else {
                throw ConfigurationError("PARLEY_SERVER_KEY must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)")
            }
            serverKey = .bytes(Array(bytes))
        } else if let file = environment["PARLEY_SERVER_KEY_FILE"] {
            serverKey = .file(file, createIfMissing: location.defaultServerKeyFile != nil)
        } else if let file = location.defaultServerKeyFile {
            serverKey = .file(file)
        } else {
            throw ConfigurationError(
                "With PostgreSQL, set PARLEY_SERVER_KEY (base64, 32 bytes) or PARLEY_SERVER_KEY_FILE to the same key on every node")
        }
        let level = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        var messageLimit = MessageService.defaultMessageLimit
        if let text = environment["PARLEY_MESSAGE_LIMIT"] {
            guard let value = Int(text), value > 0 else {
                throw ConfigurationError("PARLEY_MESSAGE_LIMIT must be a positive integer, got '\(text)'")
            }
            messageLimit = value
        }
        // Bounded so that no setting overflows a deadline or a count computed from it.
        func positive(_ name: String, _ fallback: Double) throws -> Double {
            guard let text = environment[name] else { return fallback }
            guard let value = Double(text), value > 0, value <= 31_536_000 else {
                throw ConfigurationError("\(name) must be a positive number of at most 31536000, got '\(text)'")
            }
            return value
        }
        func count(_ name: String, _ fallback: Int, minimum: Int) throws -> Int {
            guard let text = environment[name] else { return fallback }
            guard let value = Int(text), value >= minimum, value <= 1_000_000 else {
                throw ConfigurationError("\(name) must be a whole number from \(minimum) to 1000000, got '\(text)'")
            }
            return value
        }
        let webhookPolicy = RetryPolicy(
            maxAttempts: try count("PARLEY_WEBHOOK_MAX_ATTEMPTS", 5, minimum: 1), baseDelaySeconds: try positive("PARLEY_WEBHOOK_RETRY_SECONDS", 30),
            requestTimeoutSeconds: try positive("PARLEY_WEBHOOK_TIMEOUT_SECONDS", 20))
        let channelPolicy = RetryPolicy(
            maxAttempts: try count("PARLEY_CHANNEL_MAX_ATTEMPTS", 5, minimum: 1), baseDelaySeconds: try positive("PARLEY_CHANNEL_RETRY_SECONDS", 30),
            requestTimeoutSeconds: try positive("PARLEY_CHANNEL_TIMEOUT_SECONDS", 20))
        let mailgunBaseURL = environment["PARLEY_MAILGUN_API_URL"] ?? "https://api.mailgun.net"
        guard mailgunBaseURL.hasPrefix("http://") || mailgunBaseURL.hasPrefix("https://") else {
            throw ConfigurationError("PARLEY_MAILGUN_API_URL must be an http or https URL, got '\(mailgunBaseURL)'")
        }
        var outboundPolicy = OutboundAddressPolicy()
        if let text = environment["PARLEY_OUTBOUND_ALLOW"] {
            guard let policy = OutboundAddressPolicy(allowList: text) else {
                throw ConfigurationError(
                    "PARLEY_OUTBOUND_ALLOW must list networks in CIDR form (10.0.0.0/8, fd00::/8, 127.0.0.1) or the word private, got '\(text)'")
            }
            outboundPolicy = policy
        }
        return ServerConfiguration(
            hostname: hostname ?? environment["PARLEY_HOSTNAME"] ?? "127.0.0.1", port: resolvedPort, database: location,
            accountKey: accountKey, serverKey: serverKey, publicBaseURL: environment["PARLEY_PUBLIC_URL"], logLevel: level,
            messageLimit: messageLimit, webhookPolicy: webhookPolicy,
            channelPolicy: channelPolicy, mailgunBaseURL: mailgunBaseURL,
            promptExpirySeconds: try positive("PARLEY_PROMPT_EXPIRY_SECONDS", 86_400),
            databaseTimeoutSeconds: try positive("PARLEY_DATABASE_TIMEOUT_SECONDS", 2),
            databaseConnections: try count("PARLEY_DATABASE_CONNECTIONS", 10, minimum: 2),
            connectionLimits: ConnectionLimits(
                headerTimeoutSeconds: try positive("PARLEY_HEADER_TIMEOUT_SECONDS", 10),
                idleTimeoutSeconds: try positive("PARLEY_IDLE_TIMEOUT_SECONDS", 60),
                maxConnections: try count("PARLEY_MAX_CONNECTIONS", ConnectionLimits.defaultMaxConnections, minimum: 1)),
            outboundPolicy: outboundPolicy)
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
