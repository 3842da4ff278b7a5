import Logging
import ParleyDomain
import ServiceLifecycle

/// Removes the files of deleted attachments and of uploads no message used, once a minute; looks
/// for files no record knows (an upload a crash cut off) at start and then once a day. Every node
/// runs one: removing a file twice is harmless.
struct AttachmentJanitor: Service {
    let attachments: AttachmentService
    let logger: Logger
    let now: @Sendable () -> Timestamp
    var intervalSeconds = 60
    var orphanIntervalMilliseconds: Int64 = 86_400_000

    func run() async throws {
        var lastOrphanSweep: Timestamp?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let now = now()
            let orphans = lastOrphanSweep.map { now.millisecondsSince1970 - $0.millisecondsSince1970 >= orphanIntervalMilliseconds } ?? true
            do {
                let sweep = try await attachments.sweep(orphans: orphans)
                if orphans { lastOrphanSweep = now }
                if sweep != AttachmentSweep() {
                    logger.info(
                        "Removed attachment files",
                        metadata: ["expired": "\(sweep.expired)", "removed": "\(sweep.removed)", "orphans": "\(sweep.orphans)"])
                }
            } catch {
                logger.error("Attachment sweep failed; retrying", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(intervalSeconds)) }
        }
    }
}
