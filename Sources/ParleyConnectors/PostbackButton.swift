import ParleyDomain

/// What a postback button carries on channels whose buttons send back a short string (Telegram's
/// `callback_data`, WhatsApp's reply id): the job and the action's index, `p:{jobId}:{index}`
/// (within Telegram's 64 bytes). The choice is read back from the stored message
/// (`InboundService.postbackChosen`), so its payload and metadata are never trusted from the channel.
public enum PostbackButton {
    static func data(jobId: ResourceID, action: Int) -> String { "p:\(jobId.rawValue):\(action)" }

    /// The job and action a button's data names; nil for anything else (a reply's payload).
    static func choice(_ data: String) -> (jobId: ResourceID, action: Int)? {
        let parts = data.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "p", let jobId = ResourceID(String(parts[1])), let action = Int(parts[2]), (0..<100).contains(action)
        else { return nil }
        return (jobId, action)
    }
}
