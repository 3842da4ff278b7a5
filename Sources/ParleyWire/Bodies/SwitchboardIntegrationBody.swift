import ParleyDomain

/// Create- and UpdateSwitchboardIntegration's bodies into a `SwitchboardIntegrationDraft`:
/// `nextSwitchboardIntegrationId` and `messageHistoryCount` are nullable (null clears them).
public struct SwitchboardIntegrationBody: Decodable {
    public var draft: SwitchboardIntegrationDraft

    public init(from decoder: any Decoder) throws {
        let json = try JSONValue.requestObject(from: decoder)
        var reader = try JSONReader(json, path: "")
        let next: Patch<String> = reader.object["nextSwitchboardIntegrationId"] == .null
            ? .null : (try reader.string("nextSwitchboardIntegrationId")).map(Patch.value) ?? .absent
        let history: Patch<Int> = reader.object["messageHistoryCount"] == .null
            ? .null : (try reader.integer("messageHistoryCount", range: 1...10)).map { Patch.value(Int($0)) } ?? .absent
        draft = SwitchboardIntegrationDraft(
            name: try reader.string("name"), integrationId: try reader.string("integrationId"),
            integrationType: try reader.string("integrationType", length: 1...Int.max), deliverStandbyEvents: try reader.bool("deliverStandbyEvents"),
            nextSwitchboardIntegrationId: next, messageHistoryCount: history)
    }
}
