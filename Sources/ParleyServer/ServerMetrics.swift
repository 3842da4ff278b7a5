import CoreMetrics
import Logging
import ParleyDomain
import ParleyHTTP
import Prometheus
import Synchronization

/// The server's metrics (docs/OPERATIONS.md): one Prometheus registry per server, handed as a
/// swift-metrics factory to what records into it (requests, dispatchers, stores, sockets), and
/// rendered by `GET /metrics` with the figures read at scrape time (the outbox's backlog, the
/// process's memory, descriptors and CPU). Nothing is bootstrapped globally, so servers in one
/// process (the tests') keep their metrics apart.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    private let startedAt: Timestamp
    private let lastCPUSeconds = Mutex(0.0)

    init(now: Timestamp) {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Parley answers in about a millisecond: the default buckets start at 5 ms.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
        ]
        factory.valueHistogramBuckets["parley_sqlite_commit_batch_size"] = [1, 2, 4, 8, 16, 32, 64, 128, 256]
        self.factory = factory
        self.startedAt = now
    }

    /// The text `GET /metrics` answers. A failed backlog read leaves those gauges as they were
    /// and counts `parley_metrics_backlog_errors_total`: a scrape still shows everything else.
    func render(backlog store: any BacklogStore, now: Timestamp, logger: Logger) async -> [UInt8] {
        do {
            let backlog = try await store.outboxBacklog()
            gauge("parley_webhook_backlog", "Webhook deliveries waiting to be sent").set(Double(backlog.webhookPending))
            gauge("parley_webhook_dead_letters", "Webhook deliveries given up on").set(Double(backlog.webhookDead))
            gauge("parley_webhook_oldest_pending_seconds", "Age of the oldest event a webhook delivery still waits on")
                .set(Self.seconds(since: backlog.webhookOldestPending, now: now))
            gauge("parley_channel_backlog", "Channel sends waiting to be made").set(Double(backlog.channelPending))
            gauge("parley_channel_dead_jobs", "Channel sends given up on").set(Double(backlog.channelDead))
            gauge("parley_channel_oldest_due_seconds", "How long the most overdue channel send has been due")
                .set(Self.seconds(since: backlog.channelOldestDue, now: now))
        } catch {
            logger.warning("Reading the outbox backlog for /metrics failed", metadata: ["error": "\(error)"])
            registry.makeCounter(name: "parley_metrics_backlog_errors_total", help: "Scrapes whose backlog read failed").increment()
        }
        let process = ProcessStats.read()
        if let bytes = process.residentBytes { gauge("process_resident_memory_bytes", "Resident memory size in bytes").set(bytes) }
        if let open = process.openDescriptors { gauge("process_open_fds", "Open file descriptors").set(open) }
        if let maximum = process.maximumDescriptors { gauge("process_max_fds", "Maximum number of open file descriptors").set(maximum) }
        if let cpu = process.cpuSeconds {
            let delta = lastCPUSeconds.withLock { last in
                defer { last = max(last, cpu) }
                return max(0, cpu - last)
            }
            registry.makeCounter(name: "process_cpu_seconds_total", help: "User and system CPU time spent in seconds").increment(by: delta)
        }
        gauge("process_start_time_seconds", "When the server started, in seconds since 1970").set(Double(startedAt.millisecondsSince1970) / 1000)
        return registry.emitToBuffer()
    }

    private func gauge(_ name: String, _ help: String) -> Prometheus.Gauge {
        registry.makeGauge(name: name, help: help)
    }

    /// Zero when nothing waits (or it is not due yet).
    static func seconds(since time: Timestamp?, now: Timestamp) -> Double {
        guard let time else { return 0 }
        return max(0, Double(now.millisecondsSince1970 - time.millisecondsSince1970) / 1000)
    }
}
