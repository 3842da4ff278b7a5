import ParleyDomain

/// DeleteAttachment's body: `{mediaUrl}`, the URL UploadAttachment answered.
public struct AttachmentDeleteBody: Decodable {
    public var mediaUrl: String

    public init(from decoder: any Decoder) throws {
        var reader = try JSONReader(try JSONValue.requestObject(from: decoder), path: "")
        mediaUrl = try reader.requireString("mediaUrl", length: 1...2048)
    }
}
