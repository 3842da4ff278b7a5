/// Why a control action could not be carried out, as the `switchboard:*:failure` events tell it
/// (`error: {code, message}`).
public struct ControlFailure: Error, Hashable, Sendable {
    public enum Code: String, Sendable {
        /// The target is not one the action can go to (unknown, ambiguous, already active, no `next`).
        case invalidTarget = "switchboard_invalid_target"
        /// The conversation's state does not allow the action (nothing pending to accept).
        case invalidAction = "switchboard_invalid_action"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
