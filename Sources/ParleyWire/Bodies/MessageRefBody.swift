import ParleyDomain

/// DownloadMessageRef's body (`downloadMessageRefBody`): `userId`, and the Apple reference
/// `apple.interactiveDataRef` with its five strings when given.
public struct MessageRefBody: Decodable {
    public var userId: String

    public init(from decoder: any Decoder) throws {
        var reader = try JSONReader(try JSONValue.requestObject(from: decoder), path: "")
        userId = try reader.requireString("userId", length: 1...128)
        if var apple = try reader.object("apple") {
            var reference = try apple.requireObject("interactiveDataRef")
            for field in ["url", "bid", "key", "signature", "owner"] { _ = try reference.requireString(field) }
        }
    }
}
