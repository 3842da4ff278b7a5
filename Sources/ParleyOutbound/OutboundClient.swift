import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import ParleyDomain
import Synchronization

/// The one way Parley makes HTTP requests on behalf of apps (webhooks, channel providers): an
/// AsyncHTTPClient with redirects refused and no proxy, whose every connection is checked against
/// the `OutboundAddressPolicy`.
///
/// Two checks, because each covers what the other cannot:
/// - before a request, the URL's host is resolved and every address it names must be allowed,
///   so no connection is even opened to a refused address (its port's state stays unknown to
///   whoever chose the URL);
/// - when a connection is made, its peer address is checked before any byte of HTTP is sent, so
///   a name that resolves differently the second time (DNS rebinding) cannot slip through.
public final class OutboundClient: Sendable {
    public let policy: OutboundAddressPolicy
    /// The underlying client, with the connection check installed.
    public let http: HTTPClient

    public init(policy: OutboundAddressPolicy) {
        self.policy = policy
        @Sendable func checkPeer(_ channel: any Channel) -> EventLoopFuture<Void> {
            guard let peer = channel.remoteAddress, let address = Self.address(of: peer) else {
                return channel.eventLoop.makeFailedFuture(OutboundAddressRefused(host: "?", reason: "the connection has no IP peer"))
            }
            guard policy.permits(address) else {
                return channel.eventLoop.makeFailedFuture(OutboundAddressRefused(
                    host: "\(address)", reason: "\(address) is \(OutboundAddressPolicy.describe(OutboundAddressPolicy.kind(of: address)))"))
            }
            return channel.eventLoop.makeSucceededVoidFuture()
        }
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, proxy: nil, http1_1ConnectionDebugInitializer: checkPeer,
            http2ConnectionDebugInitializer: checkPeer)
        // A refused connection fails its request at once instead of being retried until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// One client per policy for the life of the process, like `HTTPClient.shared`: for callers
    /// with no lifetime of their own to shut a client down in (the inbound endpoints' downloads).
    public static func shared(for policy: OutboundAddressPolicy) -> OutboundClient {
        sharedClients.withLock { clients in
            if let client = clients[policy] { return client }
            let client = OutboundClient(policy: policy)
            clients[policy] = client
            return client
        }
    }

    private static let sharedClients = Mutex<[OutboundAddressPolicy: OutboundClient]>([:])

    /// Sends `request` unless its host is, or resolves to, an address the policy refuses.
    public func execute(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> HTTPClientResponse {
        try await check(url: request.url)
        return try await http.execute(request, timeout: timeout)
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    /// Throws `OutboundAddressRefused` when the URL's host names a refused address. A name that
    /// does not resolve is left to the request itself, which fails with its own error.
    public func check(url: String) async throws {
        guard let host = URL(string: url)?.host, !host.isEmpty else { return }
        if let refusal = policy.refusal(ofHost: host) { throw OutboundAddressRefused(host: host, reason: refusal) }
        guard IPAddress(numericHost: host) == nil else { return }  // an allowed address
        let addresses = try await NIOThreadPool.singleton.runIfActive { Self.resolve(host) }
        if let refused = addresses.first(where: { !policy.permits($0) }) {
            throw OutboundAddressRefused(
                host: host, reason: "\(host) resolves to \(refused), \(OutboundAddressPolicy.describe(OutboundAddressPolicy.kind(of: refused)))")
        }
    }

    /// Every address the system's resolver gives for `host` (blocking).
    static func resolve(_ host: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(result) }
        return IPAddress.addresses(first)
    }

    static func address(of peer: SocketAddress) -> IPAddress? {
        switch peer {
        case .v4(let address): IPAddress(bytes: withUnsafeBytes(of: address.address.sin_addr) { Array($0) })
        case .v6(let address): IPAddress(bytes: withUnsafeBytes(of: address.address.sin6_addr) { Array($0) })
        case .unixDomainSocket: nil
        }
    }
}
