import ParleyDomain
import ServiceLifecycle

/// Runs the realtime hub on the store's event feed for the life of the server.
struct RealtimeService: Service {
    let hub: RealtimeHub
    let feed: any EventFeed

    func run() async throws {
        await cancelWhenGracefulShutdown { await hub.run(feed: feed) }
    }
}
