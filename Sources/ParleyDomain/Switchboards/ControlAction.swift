/// A switchboard action on a conversation, as its body asks for it.
public enum ControlAction: Hashable, Sendable {
    /// PassControl: the target becomes active, nothing stays pending.
    case pass(SwitchboardTarget, metadata: Metadata?)
    /// OfferControl: the target becomes pending (replacing an earlier offer).
    case offer(SwitchboardTarget, metadata: Metadata?)
    /// AcceptControl: the pending integration becomes active.
    case accept(metadata: Metadata?)
    /// ReleaseControl: nobody controls the conversation until its next user message.
    case release(metadata: Metadata?)

    public var metadata: Metadata? {
        switch self {
        case .pass(_, let metadata), .offer(_, let metadata), .accept(let metadata), .release(let metadata): metadata
        }
    }
}

/// Whom `switchboardIntegration` names: `next`, or an id, name or integration type (in that
/// order of precedence).
public enum SwitchboardTarget: Hashable, Sendable {
    case next
    case named(String)

    public init(_ text: String) {
        self = text == "next" ? .next : .named(text)
    }
}
