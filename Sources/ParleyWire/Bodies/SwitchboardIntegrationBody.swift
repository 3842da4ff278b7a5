import ParleyDomain

/// Create- and UpdateSwitchboardIntegration's bodies into a `SwitchboardIntegrationDraft`:
/// `nextSwitchboardIntegrationId` and `messageHistoryCount` are nullable (null clears them).
public struct SwitchboardIntegrationBody: Decodable {
    public var draft: SwitchboardIntegrationDraft

    public init(from decoder: any Decoder) throws {
        let json = try JSONValue.requestObject(from: decoder)
        var reader = try JSONReader(json, path: "")
        let next = try reader.patch("nextSwitchboardIntegrationId") { try $0.string($1) }
        let history = try reader.patch("messageHistoryCount") { try $0.integer($1, range: 1...10).map { Int($0) } }
        draft = SwitchboardIntegrationDraft(
            name: try reader.string("name"), integrationId: try reader.string("integrationId"),
            integrationType: try reader.string("integrationType", length: 1...Int.max), deliverStandbyEvents: try reader.bool("deliverStandbyEvents"),
            nextSwitchboardIntegrationId: next, messageHistoryCount: history)
    }
}
