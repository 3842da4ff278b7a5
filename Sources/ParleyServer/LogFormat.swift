/// `LOG_FORMAT`: how the server writes its log lines on standard error.
public enum LogFormat: String, Sendable, CaseIterable {
    /// swift-log's `StreamLogHandler` lines, for people.
    case text
    /// One JSON object a line, for log collectors (`JSONLogLine`).
    case json
}
