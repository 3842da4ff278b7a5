/// DownloadMessageRef's body: an Apple Messages for Business interactive data reference to fetch
/// for a user.
public struct MessageRefDownload: Codable, Sendable, Hashable {
    public var userId: String
    public var apple: AppleMessageRef

    /// Makes one from its fields; those left nil are not sent.
    public init(userId: String, apple: AppleMessageRef) {
        self.userId = userId
        self.apple = apple
    }
}
