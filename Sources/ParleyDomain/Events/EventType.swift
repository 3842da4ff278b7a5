/// The spec's 26 webhook triggers: what an event is, and what a webhook subscribes to
/// (case-sensitive; there is no wildcard). The raw value is the wire name.
public enum EventType: String, Sendable, Codable, CaseIterable {
    case conversationCreate = "conversation:create"
    case conversationJoin = "conversation:join"
    case conversationLeave = "conversation:leave"
    case conversationRemove = "conversation:remove"
    case conversationMessage = "conversation:message"
    case messageDeliveryChannel = "conversation:message:delivery:channel"
    case messageDeliveryUser = "conversation:message:delivery:user"
    case messageDeliveryFailure = "conversation:message:delivery:failure"
    case conversationPostback = "conversation:postback"
    case conversationRead = "conversation:read"
    case conversationReferral = "conversation:referral"
    case conversationTyping = "conversation:typing"
    case passthroughMessaging = "passthrough:messaging"
    case switchboardAcceptControl = "switchboard:acceptControl"
    case switchboardAcceptControlFailure = "switchboard:acceptControl:failure"
    case switchboardOfferControl = "switchboard:offerControl"
    case switchboardOfferControlFailure = "switchboard:offerControl:failure"
    case switchboardPassControl = "switchboard:passControl"
    case switchboardPassControlFailure = "switchboard:passControl:failure"
    case switchboardReleaseControl = "switchboard:releaseControl"
    case userMerge = "user:merge"
    case userUpdate = "user:update"
    case userRemove = "user:remove"
    case clientAdd = "client:add"
    case clientUpdate = "client:update"
    case clientRemove = "client:remove"
}

extension EventType {
    /// The events an enabled switchboard routes: everything that happens in a conversation
    /// (`conversation:*`) goes to the integration in control and to standby integrations that
    /// asked for standby events. Switchboard, user and client events reach every subscriber.
    public var isRoutedBySwitchboard: Bool {
        switch self {
        case .conversationCreate, .conversationJoin, .conversationLeave, .conversationRemove, .conversationMessage, .messageDeliveryChannel,
            .messageDeliveryUser, .messageDeliveryFailure, .conversationPostback, .conversationRead, .conversationReferral, .conversationTyping:
            true
        case .passthroughMessaging, .switchboardAcceptControl, .switchboardAcceptControlFailure, .switchboardOfferControl,
            .switchboardOfferControlFailure, .switchboardPassControl, .switchboardPassControlFailure, .switchboardReleaseControl, .userMerge,
            .userUpdate, .userRemove, .clientAdd, .clientUpdate, .clientRemove:
            false
        }
    }
}
