/// Forwards PostConversionEvents to the channel's provider (Meta's Conversions API): the caller's
/// `payload` (`{data: [events…]}`, as Meta takes it), with who the user is on the channel filled
/// in from `client`. Implemented outside the domain, by the channel registry.
public protocol ConversionEventsForwarder: Sendable {
    func forwardConversionEvents(_ payload: [String: JSONValue], client: Client, integration: Integration, secrets: [String: String])
        async throws -> ConversionEventsReceipt
}
