/// PostMessage's `override`: per channel, a native payload sent instead of the rendered content.
public struct MessageOverride: Codable, Sendable, Hashable {
    public var apple: ChannelOverride?
    public var line: ChannelOverride?
    public var messenger: ChannelOverride?
    public var whatsapp: ChannelOverride?

    /// Makes one from its fields; those left nil are not sent.
    public init(apple: ChannelOverride? = nil, line: ChannelOverride? = nil, messenger: ChannelOverride? = nil, whatsapp: ChannelOverride? = nil) {
        self.apple = apple
        self.line = line
        self.messenger = messenger
        self.whatsapp = whatsapp
    }
}
