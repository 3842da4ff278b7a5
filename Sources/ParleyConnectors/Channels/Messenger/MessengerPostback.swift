import ParleyDomain

/// The payload of a postback button Parley sends for a message's postback action:
/// `p:{jobId}:{index}`. Meta gives it back when the person taps the button; the action's own
/// payload and metadata are then read from the stored message (as Telegram's and email's
/// buttons are), so a payload Parley did not make cannot pose as one.
enum MessengerPostback {
    static func payload(jobId: ResourceID, action: Int) -> String { "p:\(jobId.rawValue):\(action)" }

    /// The job and action a postback's payload names; nil for any other payload.
    static func choice(_ payload: String) -> (jobId: ResourceID, action: Int)? {
        let parts = payload.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "p", let jobId = ResourceID(String(parts[1])), let action = Int(parts[2]), (0..<100).contains(action)
        else { return nil }
        return (jobId, action)
    }
}
