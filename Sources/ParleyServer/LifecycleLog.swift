import Logging
import ServiceLifecycle

/// The log's last line. Listed first among the application's services, and a service group stops
/// its services in reverse order, so this one is told to stop only once the server, the
/// dispatchers and the store's pool have finished: its line says so.
struct LifecycleLog: Service {
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.notice("Parley stopped: every request and delivery in flight has finished")
    }
}
