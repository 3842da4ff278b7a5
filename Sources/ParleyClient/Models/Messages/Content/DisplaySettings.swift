/// How a carousel shows its images: `imageAspectRatio` `horizontal` (the default) or `square`.
public struct DisplaySettings: Codable, Sendable, Hashable {
    public var imageAspectRatio: String?

    /// Makes one from its fields; those left nil are not sent.
    public init(imageAspectRatio: String? = nil) {
        self.imageAspectRatio = imageAspectRatio
    }
}
