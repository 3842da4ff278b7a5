import Logging
import ParleyDomain
import ServiceLifecycle

/// Runs the retention sweep (`RetentionService`) at start and then every hour. Every node runs
/// one; their deletions do not overlap.
struct RetentionJanitor: Service {
    let retention: RetentionService
    let logger: Logger
    var intervalSeconds = 3600

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let sweep = try await retention.sweep()
                if sweep != RetentionSweep() {
                    logger.info(
                        "Retention sweep",
                        metadata: [
                            "events": "\(sweep.events)", "deliveries": "\(sweep.deliveries)", "channelJobs": "\(sweep.channelJobs)",
                            "idempotencyKeys": "\(sweep.idempotencyKeys)", "clearedConversations": "\(sweep.clearedConversations)",
                        ])
                }
            } catch {
                logger.error("Retention sweep failed; retrying at the next", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(intervalSeconds)) }
        }
    }
}
