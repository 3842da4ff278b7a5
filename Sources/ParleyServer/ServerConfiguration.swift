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
    /// `LOG_FORMAT`: text lines, or JSON lines.
    public var logFormat: LogFormat = .text
    /// `PARLEY_MESSAGE_LIMIT`: messages a conversation may hold before PostMessage answers 423.
    public var messageLimit: Int
    /// `PARLEY_WEBHOOK_MAX_ATTEMPTS`, `PARLEY_WEBHOOK_RETRY_SECONDS`, `PARLEY_WEBHOOK_TIMEOUT_SECONDS`.
    public var webhookPolicy: RetryPolicy
    /// `PARLEY_CHANNEL_MAX_ATTEMPTS`, `PARLEY_CHANNEL_RETRY_SECONDS`, `PARLEY_CHANNEL_TIMEOUT_SECONDS`: channel sends.
    public var channelPolicy: RetryPolicy
    /// Each carried channel's provider API base by channel type (`PARLEY_MAILGUN_API_URL`,
    /// `PARLEY_TWILIO_API_URL`: another region, or a test double); a channel left out uses its default.
    public var channelAPIURLs: [String: String]
    /// `PARLEY_DATABASE_TIMEOUT_SECONDS` (PostgreSQL): how long a request waits for a pooled
    /// connection before answering 503. Once a connection failure has been seen the wait is a
    /// quarter of a second until the database answers again, so outages fail fast.
    public var databaseTimeoutSeconds: Double
    /// `PARLEY_DATABASE_CONNECTIONS` (PostgreSQL): the most connections this node opens. The
    /// server's `max_connections` must cover every node's.
    public var databaseConnections: Int
    /// PostgreSQL: keep keys and apps in memory, kept true by a listening connection
    /// (`PostgresCaches`). Always on in `parley serve`; off for the HTTP suite's servers, dozens of
    /// which share one database, where every notification would wake every one's listener.
    public var databaseCaching: Bool = true
    /// `PARLEY_PROMPT_EXPIRY_SECONDS`: how long a `prompt` link waits for the user's yes or no.
    public var promptExpirySeconds: Double
    /// `PARLEY_HEADER_TIMEOUT_SECONDS`, `PARLEY_IDLE_TIMEOUT_SECONDS`, `PARLEY_MAX_CONNECTIONS`.
    public var connectionLimits: ConnectionLimits
    /// `PARLEY_OUTBOUND_ALLOW`: which private networks webhooks and channel calls may reach.
    public var outboundPolicy: OutboundAddressPolicy
    /// `PARLEY_ATTACHMENTS_DIR`: where attachments' files are (nil: beside the SQLite database, or
    /// `attachments` in the working directory with PostgreSQL).
    public var attachmentsDirectory: String?
    /// `PARLEY_ATTACHMENT_MAX_BYTES`, `PARLEY_ATTACHMENT_TYPES` and `PARLEY_ATTACHMENT_UNUSED_HOURS`.
    public var attachmentRules: AttachmentRules
    /// `PARLEY_REALTIME_PING_SECONDS`: the realtime sockets' ping interval.
    public var realtimePingSeconds: Double
    /// `PARLEY_RATE_LIMIT` and `PARLEY_RATE_BURST`: the v2 API's calls per key and per app on this
    /// node; nil (the default) for none.
    public var rateLimit: RateLimit?
    /// `PARLEY_EVENT_RETENTION_DAYS`, `PARLEY_DELIVERED_RETENTION_DAYS` and
    /// `PARLEY_CHANNEL_JOB_RETENTION_DAYS`: what the hourly retention sweep deletes.
    public var retention = RetentionPolicy()
    /// `PARLEY_METRICS_TOKEN`: the Bearer token `GET /metrics` asks for; nil leaves it open.
    public var metricsToken: String?
    /// Whether an OTLP endpoint is set (`OTEL_EXPORTER_OTLP_ENDPOINT` or its traces-only
    /// variant): `parley serve` then exports traces (`TracingBootstrap`).
    public var exportsTraces = false

    public init(
        hostname: String = "127.0.0.1", port: Int = 8080, database: DatabaseLocation,
        accountKey: (id: String, secret: String)? = nil, serverKey: ServerKeySource, publicBaseURL: String? = nil,
        logLevel: Logger.Level = .info, messageLimit: Int = MessageService.defaultMessageLimit, webhookPolicy: RetryPolicy = RetryPolicy(),
        channelPolicy: RetryPolicy = RetryPolicy(), channelAPIURLs: [String: String] = [:], promptExpirySeconds: Double = 86_400,
        databaseTimeoutSeconds: Double = 2, databaseConnections: Int = 10, connectionLimits: ConnectionLimits = ConnectionLimits(),
        outboundPolicy: OutboundAddressPolicy = OutboundAddressPolicy(), attachmentsDirectory: String? = nil,
        attachmentRules: AttachmentRules = AttachmentRules(), realtimePingSeconds: Double = 15
    ) {
        self.realtimePingSeconds = realtimePingSeconds
        self.attachmentsDirectory = attachmentsDirectory
        self.attachmentRules = attachmentRules
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
        self.channelAPIURLs = channelAPIURLs
        self.databaseTimeoutSeconds = databaseTimeoutSeconds
        self.databaseConnections = databaseConnections
    }

    /// Flags first, then the environment, then the defaults (`Settings`). `flags` maps a flag's
    /// name without dashes (`port`) to its value as given.
    public static func resolve(flags: [String: String] = [:], environment: [String: String]) throws -> ServerConfiguration {
        let values = SettingValues(flags: flags, environment: environment)
        let location: DatabaseLocation
        do {
            location = try DatabaseLocation(values.value(Settings.database))
        } catch let error as ConfigurationError {
            let name = values.raw(Settings.database)?.fromFlag == true ? "--database" : Settings.database.environment
            throw ConfigurationError("\(name): \(error.description)")
        }
        var accountKey: (String, String)?
        switch (environment[Settings.accountKeyID.environment], environment[Settings.accountKeySecret.environment]) {
        case (nil, nil): break
        case (let id?, let secret?): accountKey = (id, secret)
        default: throw ConfigurationError("Set both PARLEY_ACCOUNT_KEY_ID and PARLEY_ACCOUNT_KEY_SECRET, or neither")
        }
        let serverKey: ServerKeySource
        if let encoded = environment[Settings.serverKey.environment] {
            guard let bytes = Data(base64Encoded: encoded), bytes.count == 32 else {
                throw ConfigurationError("PARLEY_SERVER_KEY must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)")
            }
            serverKey = .bytes(Array(bytes))
        } else if let file = environment[Settings.serverKeyFile.environment] {
            serverKey = .file(file, createIfMissing: location.defaultServerKeyFile != nil)
        } else if let file = location.defaultServerKeyFile {
            serverKey = .file(file)
        } else {
            throw ConfigurationError(
                "With PostgreSQL, set PARLEY_SERVER_KEY (base64, 32 bytes) or PARLEY_SERVER_KEY_FILE to the same key on every node")
        }
        guard let level = Logger.Level(rawValue: values.value(Settings.logLevel)) else {
            throw values.invalid(Settings.logLevel, "must be one of trace, debug, info, notice, warning, error, critical")
        }
        var channelAPIURLs: [String: String] = [:]
        for (type, setting) in Settings.channelAPIs {
            let url = values.value(setting)
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw values.invalid(setting, "must be an http or https URL") }
            channelAPIURLs[type] = url
        }
        var outboundPolicy = OutboundAddressPolicy()
        if let text = values.text(Settings.outboundAllow) {
            guard let policy = OutboundAddressPolicy(allowList: text) else {
                throw values.invalid(Settings.outboundAllow, "must list networks in CIDR form (10.0.0.0/8, fd00::/8, 127.0.0.1) or the word private")
            }
            outboundPolicy = policy
        }
        let hostname = values.value(Settings.hostname)
        guard !hostname.isEmpty else { throw values.invalid(Settings.hostname, "must be an address or host name") }
        var configuration = ServerConfiguration(
            hostname: hostname, port: try values.port(Settings.port), database: location,
            accountKey: accountKey, serverKey: serverKey, publicBaseURL: values.text(Settings.publicURL), logLevel: level,
            messageLimit: try values.count(Settings.messageLimit, minimum: 1, maximum: Int(Int32.max)),
            webhookPolicy: RetryPolicy(
                maxAttempts: try values.count(Settings.webhookMaxAttempts, minimum: 1), baseDelaySeconds: try values.seconds(Settings.webhookRetry),
                requestTimeoutSeconds: try values.seconds(Settings.webhookTimeout)),
            channelPolicy: RetryPolicy(
                maxAttempts: try values.count(Settings.channelMaxAttempts, minimum: 1), baseDelaySeconds: try values.seconds(Settings.channelRetry),
                requestTimeoutSeconds: try values.seconds(Settings.channelTimeout)),
            channelAPIURLs: channelAPIURLs,
            promptExpirySeconds: try values.seconds(Settings.promptExpiry),
            databaseTimeoutSeconds: try values.seconds(Settings.databaseTimeout),
            databaseConnections: try values.count(Settings.databaseConnections, minimum: 2),
            connectionLimits: ConnectionLimits(
                headerTimeoutSeconds: try values.seconds(Settings.headerTimeout), idleTimeoutSeconds: try values.seconds(Settings.idleTimeout),
                maxConnections: try values.count(Settings.maxConnections, minimum: 1)),
            outboundPolicy: outboundPolicy, attachmentsDirectory: values.text(Settings.attachmentsDirectory),
            attachmentRules: AttachmentRules(
                maximumBytes: Int64(try values.count(Settings.attachmentMaxBytes, minimum: 1, maximum: Int(Int32.max))),
                mediaTypes: try attachmentTypes(values),
                unusedLifetimeSeconds: Int64(try values.count(Settings.attachmentUnusedHours, minimum: 1, maximum: 24 * 365)) * 3600),
            realtimePingSeconds: try values.seconds(Settings.realtimePing))
        configuration.rateLimit = try rateLimit(values)
        func days(_ setting: Setting) throws -> Int? {
            let days = try values.count(setting, minimum: 0, maximum: 36_500)
            return days == 0 ? nil : days
        }
        configuration.metricsToken = values.text(Settings.metricsToken)
        configuration.exportsTraces = TracingBootstrap.isConfigured(environment)
        configuration.retention = RetentionPolicy(
            eventDays: try days(Settings.eventRetention), deliveredDays: try days(Settings.deliveredRetention),
            channelJobDays: try days(Settings.channelJobRetention))
        guard let format = LogFormat(rawValue: values.value(Settings.logFormat)) else {
            throw values.invalid(Settings.logFormat, "must be text or json")
        }
        configuration.logFormat = format
        return configuration
    }
}

extension ServerConfiguration {
    /// `PARLEY_RATE_LIMIT` (a positive number of requests a second) and `PARLEY_RATE_BURST` (a
    /// whole number, by default the rate rounded up); a burst without a rate is a mistake.
    static func rateLimit(_ values: SettingValues) throws -> RateLimit? {
        guard let text = values.text(Settings.rateLimit) else {
            if values.text(Settings.rateBurst) != nil { throw values.invalid(Settings.rateBurst, "needs PARLEY_RATE_LIMIT") }
            return nil
        }
        guard let perSecond = Double(text), perSecond > 0, perSecond <= 1_000_000 else {
            throw values.invalid(Settings.rateLimit, "must be a positive number of requests a second, at most 1000000")
        }
        let burst = values.text(Settings.rateBurst) == nil ? Int(perSecond.rounded(.up)) : try values.count(Settings.rateBurst, minimum: 1)
        return RateLimit(perSecond: perSecond, burst: burst)
    }

    /// `PARLEY_ATTACHMENT_TYPES`: media types separated by commas, `type/*` for a whole type.
    static func attachmentTypes(_ values: SettingValues) throws -> [String] {
        guard let text = values.text(Settings.attachmentTypes) else { return AttachmentRules.defaultMediaTypes }
        let types = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        guard !types.isEmpty, types.allSatisfy({ $0.split(separator: "/").count == 2 }) else {
            throw values.invalid(Settings.attachmentTypes, "must list media types such as image/png or image/*, separated by commas")
        }
        return types
    }

    /// What the start-up line says: every setting that shapes the server, no secret.
    var logMetadata: Logger.Metadata {
        let database: String =
            switch self.database {
            case .sqlite(let path): "sqlite:\(path)"
            case .postgres(let url): "postgres://\(url.host):\(url.port)/\(url.database)"
            }
        return [
            "listen": "\(hostname):\(port)", "database": "\(database)", "logLevel": "\(logLevel)",
            "publicURL": "\(publicBaseURL ?? "-")",
            "channels": "\(channelAPIURLs.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))",
            "outbound": "\(outboundPolicy.allowsPrivateNetworks ? "private" : "public")\(outboundPolicy.allowed.map { "+\($0)" }.joined())",
            "connections": "\(connectionLimits.maxConnections)",
            "timeouts": "header \(connectionLimits.headerTimeoutSeconds)s, idle \(connectionLimits.idleTimeoutSeconds)s",
            "rateLimit": "\(rateLimit.map { "\($0.perSecond)/s, burst \($0.burst)" } ?? "none")",
            "traces": "\(exportsTraces ? "OTLP" : "none")",
            "retentionDays": "events \(retention.eventDays.map(String.init) ?? "-"), delivered \(retention.deliveredDays.map(String.init) ?? "-"), channel jobs \(retention.channelJobDays.map(String.init) ?? "-")",
        ]
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
