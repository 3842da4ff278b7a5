import ParleyDomain
import ParleyOutbound

/// What a channel's connector is built with.
public struct ChannelEnvironment: Sendable {
    /// Parley's outbound HTTP client, held to the outbound address policy.
    public var client: OutboundClient
    /// The provider's API base (the channel's `api` setting), without a trailing slash.
    public var apiBaseURL: String
    /// `PARLEY_PUBLIC_URL`, for callbacks a provider is told to make (Twilio's status callbacks);
    /// nil when the operator has not set it, and then none are asked for.
    public var publicBaseURL: String?
    /// Parley's attachments, for channels that carry the file itself (email); nil: media go as links.
    public var attachments: AttachmentService?

    public init(client: OutboundClient, apiBaseURL: String, publicBaseURL: String?, attachments: AttachmentService? = nil) {
        self.client = client
        self.attachments = attachments
        self.apiBaseURL = apiBaseURL.hasSuffix("/") ? String(apiBaseURL.dropLast()) : apiBaseURL
        self.publicBaseURL = publicBaseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }
}
