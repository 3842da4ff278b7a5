import Foundation

/// Where Parley may send requests it makes on behalf of apps (webhooks, channel providers): public
/// addresses, and private networks only where the operator allows them
/// (`PARLEY_OUTBOUND_ALLOW`, docs/DECISIONS.md "Outbound requests").
///
/// Why: a webhook target is chosen by anyone holding an app key. Without a policy it could name
/// the cloud's metadata service (169.254.169.254), the database's port on the same host, or any
/// machine of the private network, and Parley would call it and report what came back.
public struct OutboundAddressPolicy: Hashable, Sendable {
    /// What an address is, as far as sending to it goes.
    public enum Kind: Hashable, Sendable {
        /// Reachable on the internet: always allowed.
        case `public`
        /// Loopback, RFC 1918, carrier-grade NAT, unique local: allowed by `private` or a listed network.
        case `private`
        /// Link-local (169.254.0.0/16, fe80::/10) and the clouds' metadata services: allowed only by
        /// a network listed explicitly, never by `private`.
        case linkLocal
        /// Unspecified, multicast, broadcast, reserved: never a destination.
        case never
    }

    /// Networks allowed besides public addresses.
    public var allowed: [IPNetwork]
    /// Whether every `private` address is allowed (`PARLEY_OUTBOUND_ALLOW=private`).
    public var allowsPrivateNetworks: Bool

    /// Public addresses only: the default.
    public init(allowed: [IPNetwork] = [], allowsPrivateNetworks: Bool = false) {
        self.allowed = allowed
        self.allowsPrivateNetworks = allowsPrivateNetworks
    }

    /// `PARLEY_OUTBOUND_ALLOW`: a comma-separated list of `private` and networks in CIDR form.
    /// Nil when an entry is neither.
    public init?(allowList text: String) {
        self.init()
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            if entry == "private" {
                allowsPrivateNetworks = true
            } else if let network = IPNetwork(entry) {
                allowed.append(network)
            } else {
                return nil
            }
        }
    }

    public func permits(_ address: IPAddress) -> Bool {
        switch Self.kind(of: address) {
        case .public: true
        case .private: allowsPrivateNetworks || allowed.contains { $0.contains(address) }
        case .linkLocal: allowed.contains { $0.contains(address) }
        case .never: false
        }
    }

    /// Why a URL's host is refused before any request is made, or nil. Only hosts that need no DNS
    /// are judged here (addresses, and `localhost`, which names this machine); names are judged by
    /// the addresses they resolve to, when a request is sent.
    public func refusal(ofHost host: String) -> String? {
        let name = host.lowercased()
        if name == "localhost" || name.hasSuffix(".localhost") || name == "localhost." {
            return permits(IPAddress.loopback) ? nil : "\(host) is this server itself"
        }
        guard let address = IPAddress(numericHost: host), !permits(address) else { return nil }
        return "\(host) is \(Self.describe(Self.kind(of: address)))"
    }

    public static func describe(_ kind: Kind) -> String {
        switch kind {
        case .public: "a public address"
        case .private: "a private or loopback address"
        case .linkLocal: "a link-local or metadata address"
        case .never: "not a destination address"
        }
    }

    /// The address's kind; an IPv6 address carrying an IPv4 one is judged by the IPv4 one.
    public static func kind(of address: IPAddress) -> Kind {
        if let embedded = address.embeddedIPv4 { return kind(of: embedded) }
        let b = address.bytes
        if b.count == 4 {
            let value = UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
            func within(_ network: UInt32, _ length: UInt32) -> Bool { value >> (32 - length) == network >> (32 - length) }
            if within(0x0000_0000, 8) || within(0xE000_0000, 4) || within(0xF000_0000, 4) { return .never }
            // 192.0.0.0/24 holds Oracle Cloud's metadata service (192.0.0.192).
            if within(0xA9FE_0000, 16) || within(0xC000_0000, 24) { return .linkLocal }
            if within(0x7F00_0000, 8) || within(0x0A00_0000, 8) || within(0xAC10_0000, 12) || within(0xC0A8_0000, 16)
                || within(0x6440_0000, 10) || within(0xC612_0000, 15)
            {
                return .private
            }
            return .public
        }
        if b.allSatisfy({ $0 == 0 }) || b[0] == 0xFF { return .never }  // ::, multicast
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return .linkLocal }  // fe80::/10
        // AWS's IPv6 metadata service, fd00:ec2::254, inside the unique local block.
        if b[0..<4].elementsEqual([0xFD, 0x00, 0x0E, 0xC2]) { return .linkLocal }
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return .private }  // ::1
        if b[0] & 0xFE == 0xFC { return .private }  // fc00::/7
        if b[0] == 0xFE && b[1] & 0xC0 == 0xC0 { return .private }  // fec0::/10, site-local
        return .public
    }
}
