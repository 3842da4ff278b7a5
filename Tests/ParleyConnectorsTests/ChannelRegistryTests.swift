import ParleyDomain
import Testing

@testable import ParleyConnectors

/// The registry is the one list of channels: what CreateClient links, what the dispatcher sends
/// through and where providers call in all come from it.
@Suite("Channel registry")
struct ChannelRegistryTests {
    @Test("Every registered channel has one type, a connector, inbound endpoints and its own API setting")
    func everyChannelIsWhole() async {
        let types = ChannelRegistry.all.map(\.type)
        #expect(Set(types).count == types.count)
        #expect(Set(types) == ["mailgun", "twilio", "telegram", "whatsapp", "messenger", "instagram", "messagebird"])
        let (connectors, shutdown) = ChannelRegistry.connectors(apiBaseURLs: [:], publicBaseURL: nil, outbound: OutboundAddressPolicy())()
        #expect(Set(connectors.keys) == Set(types))
        await shutdown()
        for channel in ChannelRegistry.all {
            #expect(!channel.inboundEndpoints.isEmpty, "\(channel.type)")
            // Its own API setting, or the very setting of the channel it is named after (Instagram
            // on Messenger's Graph API): channels share a setting only when they share the API.
            let owner = ChannelRegistry.all.first { channel.api.variable == "PARLEY_\($0.type.uppercased())_API_URL" }
            #expect(owner != nil, "\(channel.type)'s API setting is named after no channel")
            #expect(owner?.api == channel.api, "\(channel.type) shares \(channel.api.variable) with different values")
            #expect(channel.api.defaultURL.hasPrefix("https://"))
            #expect(!channel.integrationFields.isEmpty)
            #expect(ChannelRegistry.channel(channel.type)?.type == channel.type)
        }
        #expect(ChannelRegistry.channel("line") == nil)
    }
}
