import ParleyDomain

/// PostConversionEvents' body (`conversionEventsBody`): exactly one of `messenger`, `instagram`,
/// `whatsapp`, each `{payload: {data: [events…], …}}` as Meta's Conversions API takes it.
public struct ConversionEventsBody: Decodable {
    public var channel: String
    public var payload: [String: JSONValue]

    public init(from decoder: any Decoder) throws {
        var reader = try JSONReader(try JSONValue.requestObject(from: decoder), path: "")
        let named = ChannelOperationsService.conversionChannels.filter { reader.object[$0] != nil && reader.object[$0] != .null }
        guard named.count == 1, let channel = named.first else {
            throw ParleyError.badRequest("The body must have exactly one of messenger, instagram or whatsapp")
        }
        var events = try reader.requireObject(channel)
        var payload = try events.requireObject("payload")
        let data = try payload.requireArray("data", count: 1...1_000)
        guard data.allSatisfy({ if case .object = $0 { true } else { false } }) else {
            throw ParleyError.badRequest("\(channel).payload.data must list event objects")
        }
        self.channel = channel
        self.payload = payload.object
    }
}
