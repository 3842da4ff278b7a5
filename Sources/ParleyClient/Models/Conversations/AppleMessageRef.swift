/// `apple.interactiveDataRef` of DownloadMessageRef's body, as Apple delivered it.
public struct AppleMessageRef: Codable, Sendable, Hashable {
    /// The reference Apple sent: where the data is, and how to open it.
    public struct InteractiveDataRef: Codable, Sendable, Hashable {
        public var url: String
        public var bid: String
        public var key: String
        public var signature: String
        public var owner: String

        /// Makes one from its fields; those left nil are not sent.
        public init(url: String, bid: String, key: String, signature: String, owner: String) {
            self.url = url
            self.bid = bid
            self.key = key
            self.signature = signature
            self.owner = owner
        }
    }

    public var interactiveDataRef: InteractiveDataRef

    /// Makes one from its fields; those left nil are not sent.
    public init(interactiveDataRef: InteractiveDataRef) {
        self.interactiveDataRef = interactiveDataRef
    }
}
