import Foundation
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// Traces (docs/OPERATIONS.md "Traces"): with an OTLP endpoint in the environment
/// (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), the process's tracer is
/// swift-otel's, exporting over OTLP/HTTP; every other `OTEL_*` variable (service name,
/// protocol, sampler, batch delays, headers) is read by swift-otel as the OpenTelemetry
/// specification names it. Without one, the tracer stays the no-op one and spans cost next to nothing.
public enum TracingBootstrap {
    /// Whether `environment` asks for traces.
    public static func isConfigured(_ environment: [String: String]) -> Bool {
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] != nil || environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] != nil
    }

    /// Installs the tracer for the whole process and returns the exporter's service, to run beside
    /// the server (it sends what is left when the server stops); nil when traces are not asked for.
    /// Call once, before anything makes an HTTP client: AsyncHTTPClient takes the process's tracer
    /// when a client is made, and its spans carry `traceparent` on webhooks and channel calls.
    public static func bootstrap(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (any Service)? {
        guard isConfigured(environment) else { return nil }
        // swift-otel stops the process on gRPC without its gRPC part, which Parley does not build.
        if let requested = environment["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] ?? environment["OTEL_EXPORTER_OTLP_PROTOCOL"],
            !["http/protobuf", "http/json"].contains(requested)
        {
            throw ConfigurationError("OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or http/json (Parley exports traces over OTLP/HTTP), got '\(requested)'")
        }
        var configuration = OTel.Configuration.default
        // Through the process's log handler (LOG_FORMAT), and only what needs a look (OTEL_LOG_LEVEL to see more).
        configuration.diagnosticLogger = .custom(Logger(label: "parley.otel"))
        configuration.diagnosticLogLevel = .warning
        configuration.serviceName = "parley"
        configuration.traces.enabled = true
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        let (tracer, service) = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(tracer)
        return service
    }
}
