import ParleyDomain

/// The bodies of the switchboard actions: `switchboardIntegration` (PassControl, OfferControl:
/// required) and `metadata` (all four; flat, at most 4 KB).
public struct ControlBody: Decodable {
    public var switchboardIntegration: String?
    public var metadata: Metadata?

    public init(from decoder: any Decoder) throws {
        let json = try JSONValue.requestObject(from: decoder)
        try self.init(json: json)
    }

    public init(json: JSONValue) throws {
        var reader = try JSONReader(json, path: "")
        // Any string: one that names nothing (the empty one too) is the action's failure event.
        switchboardIntegration = try reader.string("switchboardIntegration")
        metadata = try reader.metadata("metadata")
    }

    public func action(_ kind: Kind) throws -> ControlAction {
        switch kind {
        case .pass, .offer:
            guard let switchboardIntegration else { throw ParleyError.badRequest("switchboardIntegration is required") }
            let target = SwitchboardTarget(switchboardIntegration)
            return kind == .pass ? .pass(target, metadata: metadata) : .offer(target, metadata: metadata)
        case .accept: return .accept(metadata: metadata)
        case .release: return .release(metadata: metadata)
        }
    }

    public enum Kind: Sendable {
        case pass, offer, accept, release
    }
}
