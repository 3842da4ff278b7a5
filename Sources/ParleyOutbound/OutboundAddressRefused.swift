/// A request Parley would not make: its host is, or resolves to, an address the outbound policy
/// does not allow (`OutboundAddressPolicy`).
public struct OutboundAddressRefused: Error, CustomStringConvertible {
    public let host: String
    public let reason: String

    public var description: String {
        "Refused by this server's outbound address policy: \(reason) (PARLEY_OUTBOUND_ALLOW)"
    }
}
