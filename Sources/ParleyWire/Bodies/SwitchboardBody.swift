import ParleyDomain

/// UpdateSwitchboard's body into a `SwitchboardDraft`.
public struct SwitchboardBody: Decodable {
    public var draft: SwitchboardDraft

    public init(from decoder: any Decoder) throws {
        let json = try JSONValue.requestObject(from: decoder)
        var reader = try JSONReader(json, path: "")
        draft = SwitchboardDraft(
            enabled: try reader.bool("enabled"),
            defaultSwitchboardIntegrationId: try reader.string("defaultSwitchboardIntegrationId"))
    }
}
