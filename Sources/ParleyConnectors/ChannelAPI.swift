/// Where a channel's provider API is: a setting (`PARLEY_TWILIO_API_URL`) with the provider's
/// own URL as default, so a region or a test double is one variable away. Channels on one
/// provider API (Messenger and Instagram on Meta's Graph API) share one, equal in every part.
public struct ChannelAPI: Sendable, Equatable {
    public var variable: String
    public var defaultURL: String
    /// One line for `parley serve --help`.
    public var summary: String

    public init(variable: String, defaultURL: String, summary: String) {
        self.variable = variable
        self.defaultURL = defaultURL
        self.summary = summary
    }
}
