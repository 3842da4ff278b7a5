/// The activity behind a system-generated message: `type` is `ticket:closed`,
/// `ticket:transfer:email` or `conversation:endedByUser`.
public struct MessageActivity: Codable, Sendable, Hashable {
    public var type: String?
    public var data: JSONObject?
}
