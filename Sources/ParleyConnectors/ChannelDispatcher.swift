import CoreMetrics
import Logging
import ParleyDomain
import ParleyOutbound
import ServiceLifecycle
import Tracing

/// Sends queued channel jobs (confirmation messages of channel links, business messages for users'
/// channels) through each channel's connector, retries them on the webhooks' schedule, and records
/// outcomes through `ClientService.finish`, which activates or removes the client, or records the
/// delivery events, in the same transaction. Like
/// the webhook dispatcher, anything not recorded is simply sent again after a restart.
public struct ChannelDispatcher: Service {
    public var policy: RetryPolicy
    public var pollIntervalMilliseconds: Int
    /// How long a `prompt` link waits for the user's answer before it fails.
    public var promptExpirySeconds: Double
    let store: any ClientStore
    let clients: ClientService
    let integrations: IntegrationService
    let makeConnectors: @Sendable () -> (connectors: [String: any ChannelConnector], shutdown: @Sendable () async -> Void)
    let now: @Sendable () -> Timestamp
    let jitter: @Sendable () -> Double
    let logger: Logger
    /// Completed passes of `run`'s loop.
    public let passes: PassCounter
    /// `parley_channel_attempts_total{outcome}`: one per send recorded, by what became of it.
    let metrics: any MetricsFactory

    public init(
        store: any ClientStore, clients: ClientService, integrations: IntegrationService, policy: RetryPolicy = RetryPolicy(),
        pollIntervalMilliseconds: Int = 100, promptExpirySeconds: Double = 86_400, logger: Logger = Logger(label: "parley.channels"),
        makeConnectors: @escaping @Sendable () -> (connectors: [String: any ChannelConnector], shutdown: @Sendable () async -> Void),
        now: @escaping @Sendable () -> Timestamp = { .now() }, jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        passes: PassCounter = PassCounter(), metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) {
        self.passes = passes
        self.metrics = metrics
        self.store = store
        self.clients = clients
        self.integrations = integrations
        self.policy = policy
        self.pollIntervalMilliseconds = pollIntervalMilliseconds
        self.promptExpirySeconds = promptExpirySeconds
        self.logger = logger
        self.makeConnectors = makeConnectors
        self.now = now
        self.jitter = jitter
    }

    public func run() async throws {
        let (connectors, shutdown) = makeConnectors()
        var lastExpiryCheck = Timestamp(millisecondsSince1970: 0)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let sent: Int
            do {
                let now = now()
                // Unanswered prompts are looked for once a second, not on every pass.
                if now.millisecondsSince1970 - lastExpiryCheck.millisecondsSince1970 >= 1000 {
                    lastExpiryCheck = now
                    try await clients.expirePrompts(olderThan: promptExpirySeconds, now: now)
                }
                sent = try await sendDue(using: connectors)
            } catch {
                logger.error("Channel dispatch failed; retrying", metadata: ["error": "\(error)"])
                sent = 0
            }
            passes.complete()
            if sent == 0 {
                try? await Task.sleep(for: .milliseconds(pollIntervalMilliseconds))
            }
        }
        await shutdown()
    }

    /// One pass over the due jobs, concurrently. Returns how many were attempted.
    public func sendDue(using connectors: [String: any ChannelConnector]) async throws -> Int {
        let jobs = try await store.dueChannelJobs(now: now(), limit: 64)
        await withTaskGroup(of: Void.self) { group in
            for job in jobs {
                group.addTask { await send(job, using: connectors) }
            }
        }
        return jobs.count
    }

    /// Each send is a trace of its own; the provider call, a child span, carries `traceparent`.
    func send(_ job: ChannelJob, using connectors: [String: any ChannelConnector]) async {
        await withSpan("channel send", context: .topLevel, ofKind: .producer) { span in
            span.attributes["parley.job_id"] = job.id.rawValue
            span.attributes["parley.app_id"] = job.appId.rawValue
            span.attributes["parley.integration_id"] = job.integrationId.rawValue
            span.attributes["parley.attempt"] = job.attempts + 1
            await attemptSend(job, using: connectors)
        }
    }

    private func attemptSend(_ job: ChannelJob, using connectors: [String: any ChannelConnector]) async {
        guard job.hasMessage || job.messageId != nil else {
            // No confirmation message was asked for: the link completes as if the channel had accepted one.
            await record(job, DeliveryOutcome(state: .delivered, at: now()))
            return
        }
        do {
            if try await store.client(id: job.clientId) == nil {
                // RemoveClient came first: the user must not be asked to confirm a link that no longer exists.
                await record(job, DeliveryOutcome(state: .dead, at: now(), error: "The client was removed before the message was sent"))
                return
            }
        } catch {
            logger.error("Reading a channel job's client failed", metadata: ["error": "\(error)"])
            return
        }
        let attempt = job.attempts + 1
        var statusCode: Int?
        var externalMessageId: String?
        var failure: String?
        var permanent = false
        var retryAfterSeconds: Int?
        do {
            let integration = try await integrations.get(appId: job.appId, id: job.integrationId.rawValue)
            guard let connector = connectors[integration.type] else {
                throw ConnectorError("Parley has no connector for \(integration.type) yet")
            }
            let message = try await clients.message(of: job)
            guard connector.carries(job, message: message) else {
                // A business message with nothing this channel can show (a form, say).
                let type = job.payload["contentType"] ?? "unknown"
                await record(job, DeliveryOutcome(state: .dead, at: now(), error: "Unsupported message type `\(type)` on \(integration.type)"))
                return
            }
            let result = try await connector.send(
                job, message: message, integration: integration, secrets: try integrations.secrets(of: integration), timeoutSeconds: policy.requestTimeoutSeconds)
            (statusCode, externalMessageId, retryAfterSeconds) = (result.statusCode, result.externalMessageId, result.retryAfterSeconds)
            if !(200..<300).contains(result.statusCode) { failure = result.detail }
        } catch let error as ConnectorError {
            (failure, permanent) = (error.description, true)
        } catch let error as ParleyError {
            // The integration is gone: the link can never be made.
            (failure, permanent) = (error.title, true)
        } catch {
            failure = String(describing: error).prefix(300).description
        }
        var outcome = Self.outcome(policy, attempts: attempt, statusCode: statusCode, error: failure, permanent: permanent, at: now(), jitter: jitter())
        if let retryAfterSeconds, outcome.state == .pending {
            // The channel said when it will take the next send: not before.
            let earliest = Timestamp(millisecondsSince1970: outcome.at.millisecondsSince1970 + Int64(retryAfterSeconds) * 1000)
            outcome.nextAttemptAt = max(outcome.nextAttemptAt ?? earliest, earliest)
        }
        if outcome.state == .delivered {
            logger.info("Channel message sent", metadata: [
                "job": "\(job.id)", "integration": "\(job.integrationId)", "attempt": "\(attempt)",
                "status": "\(statusCode.map(String.init) ?? "-")", "externalId": "\(externalMessageId ?? "-")",
            ])
        } else {
            logger.warning("Channel send failed", metadata: [
                "job": "\(job.id)", "attempt": "\(attempt)", "state": "\(outcome.state.rawValue)",
                "status": "\(statusCode.map(String.init) ?? "-")", "error": "\(failure ?? "-")",
            ])
        }
        await record(job, outcome, externalMessageId: externalMessageId)
    }

    func record(_ job: ChannelJob, _ outcome: DeliveryOutcome, externalMessageId: String? = nil) async {
        Counter(label: "parley_channel_attempts_total", dimensions: [("outcome", outcome.state.rawValue)], factory: metrics).increment()
        do {
            try await clients.finish(job, outcome: outcome, externalMessageId: externalMessageId)
        } catch {
            // Not recorded: the job stays pending and is sent again (at least once, never lost).
            logger.error("Recording a channel send failed", metadata: ["error": "\(error)"])
        }
    }

    /// The webhook schedule, except that channels answer every 4xx but 429 for requests that will
    /// never succeed (bad address, bad credentials), so those are final at once.
    static func outcome(
        _ policy: RetryPolicy, attempts: Int, statusCode: Int?, error: String?, permanent: Bool, at now: Timestamp, jitter: Double
    ) -> DeliveryOutcome {
        if permanent || statusCode.map({ (400..<500).contains($0) && $0 != 429 }) == true {
            return DeliveryOutcome(state: .dead, at: now, statusCode: statusCode, error: error ?? statusCode.map { "HTTP \($0)" })
        }
        return policy.outcome(attempts: attempts, statusCode: statusCode, error: error, at: now, jitter: jitter)
    }
}
