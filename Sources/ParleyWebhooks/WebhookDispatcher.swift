import CoreMetrics
import Logging
import ParleyDomain
import ServiceLifecycle
import Tracing

/// Delivers the outbox: a long-lived service that finds webhooks with due deliveries, posts each
/// one's batch, and records the outcome. Runs until graceful shutdown; everything it has not
/// delivered stays in the database for the next start.
public struct WebhookDispatcher: Service {
    public var policy: RetryPolicy
    public var batchSize: Int
    public var pollIntervalMilliseconds: Int
    let store: any EventStore
    /// Opens a webhook's sealed secret, to sign with.
    let openSecret: @Sendable (Webhook) throws -> String
    let makeTransport: @Sendable () -> (transport: any WebhookTransport, shutdown: @Sendable () async -> Void)
    let now: @Sendable () -> Timestamp
    let jitter: @Sendable () -> Double
    /// Each attempt's `X-Parley-Delivery` id.
    let ids: ResourceIDGenerator
    let logger: Logger
    /// Completed passes of `run`'s loop.
    public let passes: PassCounter
    /// `parley_webhook_attempts_total{outcome}`: one per POST, by what became of it.
    let metrics: any MetricsFactory

    public init(
        store: any EventStore, openSecret: @escaping @Sendable (Webhook) throws -> String, policy: RetryPolicy = RetryPolicy(), batchSize: Int = 100, pollIntervalMilliseconds: Int = 100,
        logger: Logger = Logger(label: "parley.webhooks"),
        makeTransport: @escaping @Sendable () -> (transport: any WebhookTransport, shutdown: @Sendable () async -> Void) = {
            HTTPWebhookTransport.live(outbound: OutboundAddressPolicy())
        },
        now: @escaping @Sendable () -> Timestamp = { .now() }, jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        ids: ResourceIDGenerator = ResourceIDGenerator(), passes: PassCounter = PassCounter(),
        metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) {
        self.passes = passes
        self.metrics = metrics
        self.ids = ids
        self.store = store
        self.openSecret = openSecret
        self.policy = policy
        self.batchSize = batchSize
        self.pollIntervalMilliseconds = pollIntervalMilliseconds
        self.logger = logger
        self.makeTransport = makeTransport
        self.now = now
        self.jitter = jitter
    }

    public func run() async throws {
        // The client is made here, not in init: a service owns its resources only while it runs.
        let (transport, shutdown) = makeTransport()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let delivered: Int
            do {
                delivered = try await deliverDue(using: transport)
            } catch {
                logger.error("Webhook dispatch failed; retrying", metadata: ["error": "\(error)"])
                delivered = 0
            }
            passes.complete()
            if delivered == 0 {
                try? await Task.sleep(for: .milliseconds(pollIntervalMilliseconds))
            }
        }
        // A batch cut off by shutdown was not recorded, so it stays pending and goes out after the
        // next start: at least once, never lost.
        await shutdown()
    }

    /// One pass: every due webhook's batch, concurrently across webhooks (never within one, which
    /// keeps each webhook's events in order). Returns how many batches were attempted.
    public func deliverDue(using transport: any WebhookTransport) async throws -> Int {
        let batches = try await store.dueBatches(now: now(), batchSize: batchSize, limit: 64)
        await withTaskGroup(of: Void.self) { group in
            for batch in batches {
                group.addTask { await deliver(batch, using: transport) }
            }
        }
        return batches.count
    }

    /// Each attempt is a trace of its own (the request that caused its events has long been
    /// answered); its POST, a child span, carries `traceparent` to the receiver.
    func deliver(_ batch: DeliveryBatch, using transport: any WebhookTransport) async {
        await withSpan("webhook delivery", context: .topLevel, ofKind: .producer) { span in
            span.attributes["parley.webhook_id"] = batch.webhook.id.rawValue
            span.attributes["parley.app_id"] = batch.appId.rawValue
            span.attributes["parley.events"] = batch.events.count
            span.attributes["parley.attempt"] = batch.attempts + 1
            await attemptDelivery(batch, using: transport)
        }
    }

    private func attemptDelivery(_ batch: DeliveryBatch, using transport: any WebhookTransport) async {
        let attempt = batch.attempts + 1
        var statusCode: Int?
        var failure: String?
        do {
            // A new id for every attempt: a retry or a redelivery of the same events is another
            // delivery, and a receiver that logs deliveries must be able to tell them apart.
            let request = try WebhookRequest(
                batch: batch, secret: try openSecret(batch.webhook), deliveryId: ids.next().rawValue,
                timestamp: now().millisecondsSince1970 / 1000)
            statusCode = try await transport.send(request, timeoutSeconds: policy.requestTimeoutSeconds)
        } catch {
            failure = String(describing: error).prefix(300).description
        }
        let outcome = policy.outcome(attempts: attempt, statusCode: statusCode, error: failure, at: now(), jitter: jitter())
        if outcome.state != .delivered {
            logger.warning("Webhook delivery failed", metadata: [
                "webhook": "\(batch.webhook.id)", "attempt": "\(attempt)", "state": "\(outcome.state.rawValue)",
                "status": "\(statusCode.map(String.init) ?? "-")", "error": "\(failure ?? "-")",
            ])
        }
        Counter(label: "parley_webhook_attempts_total", dimensions: [("outcome", outcome.state.rawValue)], factory: metrics).increment()
        do {
            try await store.recordAttempt(batch, outcome: outcome)
        } catch {
            // Not recorded: the batch stays pending and is sent again (at least once, never lost).
            logger.error("Recording a delivery attempt failed", metadata: ["error": "\(error)"])
        }
    }
}
