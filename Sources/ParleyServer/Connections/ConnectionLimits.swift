/// How long a connection may take to send a request's head, how long it may sit idle, and how
/// many may be open at once: the protections against clients that connect and then send nothing,
/// or a request line a byte at a time (docs/DECISIONS.md, "Slow and idle clients").
public struct ConnectionLimits: Sendable, Equatable {
    /// `PARLEY_HEADER_TIMEOUT_SECONDS`: from a connection's opening, or from the first byte of its
    /// next request, to the end of that request's head.
    public var headerTimeoutSeconds: Double
    /// `PARLEY_IDLE_TIMEOUT_SECONDS`: a kept-alive connection with no request, or a request body
    /// that stops arriving, is closed after this long without a byte.
    public var idleTimeoutSeconds: Double
    /// `PARLEY_MAX_CONNECTIONS`: connections beyond this are closed as soon as they are accepted.
    public var maxConnections: Int

    public static let defaultMaxConnections = 4096

    public init(headerTimeoutSeconds: Double = 10, idleTimeoutSeconds: Double = 60, maxConnections: Int = Self.defaultMaxConnections) {
        self.headerTimeoutSeconds = headerTimeoutSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxConnections = maxConnections
    }
}
