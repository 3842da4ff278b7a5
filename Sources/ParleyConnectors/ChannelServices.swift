import Foundation
import ParleyDomain

/// What a channel's inbound endpoints hand their findings to.
public struct ChannelServices: Sendable {
    /// Messages users send: matching, linking, storing.
    public var inbound: InboundService
    /// Delivery reports on channel jobs.
    public var clients: ClientService
    /// The clock signatures' freshness is judged by.
    public var now: @Sendable () -> Date

    public init(inbound: InboundService, clients: ClientService, now: @escaping @Sendable () -> Date = { Date() }) {
        self.inbound = inbound
        self.clients = clients
        self.now = now
    }
}
