import Foundation
import ParleyDomain
import ParleyOutbound

/// What a channel's inbound endpoints hand their findings to.
public struct ChannelServices: Sendable {
    /// Messages users send: matching, linking, storing.
    public var inbound: InboundService
    /// Delivery reports on channel jobs.
    public var clients: ClientService
    /// Where pictures and files users send are stored.
    public var attachments: AttachmentService
    /// Fetches media a provider keeps (an MMS's pictures), within the outbound policy.
    public var media: MediaFetcher
    /// Each channel's API base by type (its `api` setting), for inbound endpoints that call back
    /// (Telegram's files).
    public var apiBaseURLs: [String: String]
    /// The clock signatures' freshness is judged by.
    public var now: @Sendable () -> Date

    public init(
        inbound: InboundService, clients: ClientService, attachments: AttachmentService, outbound: OutboundAddressPolicy,
        apiBaseURLs: [String: String] = [:], now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.apiBaseURLs = apiBaseURLs
        self.inbound = inbound
        self.clients = clients
        self.attachments = attachments
        self.media = MediaFetcher(client: OutboundClient.shared(for: outbound))
        self.now = now
    }

    /// The channel's API base, without a trailing slash.
    func apiBaseURL(of channel: any Channel) -> String {
        let url = apiBaseURLs[channel.type] ?? channel.api.defaultURL
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// Stores a file a user sent as an attachment `for=message` of the app (it goes with the
    /// message that carries it), `feed` writing its bytes as they come. Nil when the attachment
    /// rules refuse it (a type not allowed, over the size limit): the channel leaves it out.
    public func storeMedia(
        appId: ResourceID, fileName: String, declaredType: String?, base: String, feed: (inout AttachmentUpload) async throws -> Void
    ) async throws -> InboundMedia? {
        var upload = try await attachments.upload(appId: appId, access: "public", for: "message", conversationId: nil)
        do {
            try upload.begin(fileName: fileName, declaredType: declaredType)
            try await feed(&upload)
            return InboundMedia(try await upload.finish(), base: base)
        } catch let error as ParleyError where error.kind == .badRequest || error.kind == .payloadTooLarge {
            upload.abandon()
            return nil
        } catch {
            upload.abandon()
            throw error
        }
    }
}
