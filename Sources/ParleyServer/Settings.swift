import ParleyConnectors

/// Every setting `parley serve` reads, in the order `--help` lists them.
public enum Settings {
    static let hostname = Setting("PARLEY_HOSTNAME", flag: "hostname", default: "127.0.0.1", "address to listen on")
    static let port = Setting("PARLEY_PORT", flag: "port", default: "8080", "port to listen on, 0 to 65535 (0: any free port)")
    static let database = Setting(
        "PARLEY_DATABASE_URL", flag: "database", default: "sqlite:parley.sqlite",
        "sqlite:PATH, or postgres://user:password@host:port/db[?search_path=schema] for several nodes")
    static let accountKeyID = Setting("PARLEY_ACCOUNT_KEY_ID", "an account key to make sure exists (with its secret); no key is generated then")
    static let accountKeySecret = Setting("PARLEY_ACCOUNT_KEY_SECRET", "that key's secret, at least 32 bytes")
    static let serverKey = Setting("PARLEY_SERVER_KEY", "the 32-byte server key that seals stored secrets, base64")
    static let serverKeyFile = Setting(
        "PARLEY_SERVER_KEY_FILE", "a file holding the server key (SQLite default: <database>.key, made on first start; PostgreSQL: required)")
    static let databaseConnections = Setting(
        "PARLEY_DATABASE_CONNECTIONS", default: "10", "PostgreSQL connections this node opens, 2 or more")
    static let databaseTimeout = Setting(
        "PARLEY_DATABASE_TIMEOUT_SECONDS", default: "2", "PostgreSQL: the longest wait for a connection before answering 503")
    static let publicURL = Setting(
        "PARLEY_PUBLIC_URL", "the URL clients and providers reach Parley at: absolute links, Twilio's signed callbacks (default: from the Host header)")
    static let messageLimit = Setting("PARLEY_MESSAGE_LIMIT", default: "30000", "messages per conversation, then PostMessage answers 423")
    static let webhookMaxAttempts = Setting("PARLEY_WEBHOOK_MAX_ATTEMPTS", default: "5", "attempts per webhook delivery")
    static let webhookRetry = Setting("PARLEY_WEBHOOK_RETRY_SECONDS", default: "30", "first retry delay of a webhook delivery, doubled each time")
    static let webhookTimeout = Setting("PARLEY_WEBHOOK_TIMEOUT_SECONDS", default: "20", "time a webhook receiver has to answer")
    static let promptExpiry = Setting("PARLEY_PROMPT_EXPIRY_SECONDS", default: "86400", "how long a prompt channel link waits for the user's yes or no")
    /// Each carried channel's provider API (`PARLEY_MAILGUN_API_URL`, `PARLEY_TWILIO_API_URL`), by channel type.
    static let channelAPIs: [(type: String, setting: Setting)] = ChannelRegistry.all.map { channel in
        (channel.type, Setting(channel.api.variable, default: channel.api.defaultURL, channel.api.summary))
    }
    /// Each API setting once: channels on one provider API share it (Messenger and Instagram).
    static var channelAPISettings: [Setting] {
        var seen: Set<String> = []
        return channelAPIs.map(\.setting).filter { seen.insert($0.environment).inserted }
    }
    static let channelMaxAttempts = Setting("PARLEY_CHANNEL_MAX_ATTEMPTS", default: "5", "attempts per channel send")
    static let channelRetry = Setting("PARLEY_CHANNEL_RETRY_SECONDS", default: "30", "first retry delay of a channel send, doubled each time")
    static let channelTimeout = Setting("PARLEY_CHANNEL_TIMEOUT_SECONDS", default: "20", "time a channel provider has to answer")
    static let headerTimeout = Setting(
        "PARLEY_HEADER_TIMEOUT_SECONDS", default: "10", "time a connection has to send a request's line and headers")
    static let idleTimeout = Setting(
        "PARLEY_IDLE_TIMEOUT_SECONDS", default: "60", "a kept-alive connection, or a body that stops arriving, is closed after this long")
    static let maxConnections = Setting(
        "PARLEY_MAX_CONNECTIONS", default: "4096", "connections beyond this are closed at once (kept below the open-files limit)")
    static let outboundAllow = Setting(
        "PARLEY_OUTBOUND_ALLOW", "private networks webhooks and channel calls may reach: private, or networks (10.1.0.0/16,127.0.0.1)")
    static let attachmentsDirectory = Setting(
        "PARLEY_ATTACHMENTS_DIR", "where uploaded attachments are kept (default: <database>.attachments beside an SQLite file; with PostgreSQL, a directory every node shares)")
    static let attachmentMaxBytes = Setting("PARLEY_ATTACHMENT_MAX_BYTES", default: "52428800", "the largest attachment UploadAttachment takes (413 above)")
    static let attachmentUnusedHours = Setting(
        "PARLEY_ATTACHMENT_UNUSED_HOURS", default: "24", "how long an upload made for=message waits to be used by a message before it is removed")
    static let attachmentTypes = Setting(
        "PARLEY_ATTACHMENT_TYPES", "media types UploadAttachment takes, comma-separated, type/* for a whole type (default: images, video, audio, text, PDF, archives, office documents)")
    static let realtimePing = Setting(
        "PARLEY_REALTIME_PING_SECONDS", default: "15", "how often realtime sockets are pinged; one that misses a ping is closed")
    static let rateLimit = Setting(
        "PARLEY_RATE_LIMIT", "requests a second each API key, and each app, may make on this node, then 429 with Retry-After (default: no limit)")
    static let rateBurst = Setting(
        "PARLEY_RATE_BURST", "requests a key or an app may make at once after a quiet spell (default: one second's worth of PARLEY_RATE_LIMIT)")
    static let eventRetention = Setting(
        "PARLEY_EVENT_RETENTION_DAYS", default: "30",
        "days webhook events are kept once no delivery waits on them: how far back realtime clients resume and dead letters are redelivered (0: for ever)")
    static let deliveredRetention = Setting(
        "PARLEY_DELIVERED_RETENTION_DAYS", default: "7", "days a webhook delivery that succeeded is kept (0: as long as its event)")
    static let channelJobRetention = Setting(
        "PARLEY_CHANNEL_JOB_RETENTION_DAYS", default: "30",
        "days a finished channel send is kept: providers' late delivery reports and postback taps find their message through it (0: for ever)")
    static let metricsToken = Setting(
        "PARLEY_METRICS_TOKEN", "a token GET /metrics then asks for (Authorization: Bearer <token>); without it, /metrics is open to whoever reaches the port")
    static let otlpEndpoint = Setting(
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "an OpenTelemetry collector's OTLP/HTTP base URL (http://collector:4318): traces are exported there; the other OTEL_* variables apply (default: no traces)")
    static let logLevel = Setting("LOG_LEVEL", default: "info", "trace, debug, info, notice, warning, error or critical")
    static let logFormat = Setting(
        "LOG_FORMAT", default: "text", "text, or json: one JSON object a line, with the request's id, app and operation on a request's lines")

    public static let all: [Setting] = [
        hostname, port, database, accountKeyID, accountKeySecret, serverKey, serverKeyFile, databaseConnections, databaseTimeout,
        publicURL, messageLimit, webhookMaxAttempts, webhookRetry, webhookTimeout, promptExpiry, realtimePing,
    ] + channelAPISettings + [
        channelMaxAttempts, channelRetry, channelTimeout, headerTimeout, idleTimeout, maxConnections, rateLimit, rateBurst, outboundAllow,
        attachmentsDirectory, attachmentMaxBytes, attachmentTypes, attachmentUnusedHours, eventRetention, deliveredRetention,
        channelJobRetention, metricsToken, otlpEndpoint, logLevel, logFormat,
    ]

    /// The settings as `parley serve --help` lists them: variable (and flag), default, summary.
    public static var help: String {
        var lines = ["Settings (a flag wins over its environment variable):", ""]
        for setting in all {
            var name = setting.environment
            if let flag = setting.flag { name += " (--\(flag))" }
            lines.append("  \(name)")
            lines.append("      \(setting.summary)" + (setting.defaultValue.map { "; default \($0)" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}
