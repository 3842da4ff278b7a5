import Logging

/// The server's log lines: `StreamLogHandler`'s, on standard error, with metadata rendered only
/// when a line is written.
///
/// Why: `StreamLogHandler` renders all its metadata to text whenever the metadata changes, and
/// Hummingbird gives each request's logger an id of its own, so every request paid for that text
/// (≈ 2–3 % of a post's CPU, BENCHMARKS.md "Round 5") although at the default level nothing is
/// logged about a request.
struct ServerLogHandler: LogHandler {
    typealias Output = @Sendable (_ label: String, Logger.MetadataProvider?) -> StreamLogHandler

    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let output: Output

    /// `output` makes the handler that writes a line (tests give it a stream of their own).
    init(label: String, output: @escaping Output = StreamLogHandler.standardError) {
        self.label = label
        self.output = output
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var handler = output(label, metadataProvider)
        handler.logLevel = logLevel
        // Handed over with the line's own metadata (which wins), so it is rendered once.
        var event = event
        event.metadata = metadata.merging(event.metadata ?? [:]) { _, line in line }
        handler.log(event: event)
    }
}
