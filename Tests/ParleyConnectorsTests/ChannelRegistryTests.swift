import ParleyDomain
import Testing

@testable import ParleyConnectors

/// What CreateClient lets users link is exactly what the dispatcher can send.
@Suite("Carried channel types")
struct CarriedTypesTests {
    @Test("Every carried type has a live connector, and every live connector's type is carried")
    func carriedTypesHaveConnectors() async {
        let (connectors, shutdown) = ChannelDispatcher.liveConnectors(mailgunBaseURL: "http://127.0.0.1:9", outbound: OutboundAddressPolicy())()
        #expect(Set(connectors.keys) == ChannelDispatcher.carriedTypes)
        await shutdown()
    }
}
