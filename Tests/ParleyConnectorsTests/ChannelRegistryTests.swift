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
        #expect(Set(types) == ["mailgun", "twilio", "telegram", "messagebird"])
        let (connectors, shutdown) = ChannelRegistry.connectors(apiBaseURLs: [:], publicBaseURL: nil, outbound: OutboundAddressPolicy())()
        #expect(Set(connectors.keys) == Set(types))
        await shutdown()
        for channel in ChannelRegistry.all {
            #expect(!channel.inboundEndpoints.isEmpty, "\(channel.type)")
            #expect(channel.api.variable == "PARLEY_\(channel.type.uppercased())_API_URL")
            #expect(channel.api.defaultURL.hasPrefix("https://"))
            #expect(!channel.integrationFields.isEmpty)
            #expect(ChannelRegistry.channel(channel.type)?.type == channel.type)
        }
        #expect(ChannelRegistry.channel("whatsapp") == nil)
    }
}
