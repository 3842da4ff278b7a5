import Foundation
import Logging
import ParleyDomain

/// The server's log lines on standard error: `StreamLogHandler`'s, or one JSON object a line
/// (`LOG_FORMAT=json`, `JSONLogLine`), with metadata rendered only when a line is written.
///
/// Why: `StreamLogHandler` renders all its metadata to text whenever the metadata changes, and
/// Hummingbird gives each request's logger an id of its own, so every request paid for that text
/// (≈ 2–3 % of a post's CPU, BENCHMARKS.md "Round 5") although at the default level nothing is
/// logged about a request.
struct ServerLogHandler: LogHandler {
    typealias Output = @Sendable (_ label: String, Logger.MetadataProvider?) -> StreamLogHandler
    typealias LineOutput = @Sendable (_ line: String) -> Void

    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let format: LogFormat
    private let output: Output
    private let lineOutput: LineOutput
    private let now: @Sendable () -> Timestamp

    /// `output` makes the handler that writes a text line, `lineOutput` writes a JSON line (tests
    /// give them streams of their own).
    init(
        label: String, format: LogFormat = .text, output: @escaping Output = StreamLogHandler.standardError,
        lineOutput: @escaping LineOutput = Self.standardError, now: @escaping @Sendable () -> Timestamp = { .now() }
    ) {
        self.label = label
        self.format = format
        self.output = output
        self.lineOutput = lineOutput
        self.now = now
    }

    /// One write a line, so lines of concurrent requests do not interleave.
    static let standardError: LineOutput = { line in FileHandle.standardError.write(Data(line.utf8)) }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        switch format {
        case .text:
            var handler = output(label, metadataProvider)
            handler.logLevel = logLevel
            // Handed over with the line's own metadata (which wins), so it is rendered once.
            var event = event
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, line in line }
            handler.log(event: event)
        case .json:
            let merged = (metadataProvider?.get() ?? [:]).merging(metadata) { _, own in own }.merging(event.metadata ?? [:]) { _, line in line }
            lineOutput(JSONLogLine.render(event, label: label, metadata: merged, at: now()) + "\n")
        }
    }
}

/// Every logger of the process writes through `ServerLogHandler` in the configured format. Call
/// once, before anything logs (swift-log allows one bootstrap a process).
public func bootstrapLogging(_ configuration: ServerConfiguration) {
    LoggingSystem.bootstrap { label in ServerLogHandler(label: label, format: configuration.logFormat) }
}
