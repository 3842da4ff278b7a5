/// An event a webhook subscribes to. Case-sensitive.
///
/// An open set: a value this library does not list decodes as itself (see ``StringEnumeration``).
public struct WebhookTrigger: StringEnumeration {
    public var rawValue: String
    /// Wraps `rawValue`, listed below or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `client:add`: A channel link started, or an SDK client was made.
    public static let clientAdd: WebhookTrigger = "client:add"
    /// `client:remove`: A client was removed.
    public static let clientRemove: WebhookTrigger = "client:remove"
    /// `client:update`: A client was confirmed, matched, blocked or unblocked.
    public static let clientUpdate: WebhookTrigger = "client:update"
    /// `conversation:create`: A conversation was created.
    public static let conversationCreate: WebhookTrigger = "conversation:create"
    /// `conversation:join`: A participant joined an sdkGroup conversation.
    public static let conversationJoin: WebhookTrigger = "conversation:join"
    /// `conversation:leave`: A participant left an sdkGroup conversation.
    public static let conversationLeave: WebhookTrigger = "conversation:leave"
    /// `conversation:remove`: A conversation was deleted.
    public static let conversationRemove: WebhookTrigger = "conversation:remove"
    /// `conversation:message`: A message was posted.
    public static let conversationMessage: WebhookTrigger = "conversation:message"
    /// `conversation:message:delivery:channel`: A channel accepted a message.
    public static let conversationMessageDeliveryChannel: WebhookTrigger = "conversation:message:delivery:channel"
    /// `conversation:message:delivery:failure`: A message could not be delivered.
    public static let conversationMessageDeliveryFailure: WebhookTrigger = "conversation:message:delivery:failure"
    /// `conversation:message:delivery:user`: A message reached the user.
    public static let conversationMessageDeliveryUser: WebhookTrigger = "conversation:message:delivery:user"
    /// `conversation:postback`: A user pressed a postback button.
    public static let conversationPostback: WebhookTrigger = "conversation:postback"
    /// `conversation:read`: A user read the conversation.
    public static let conversationRead: WebhookTrigger = "conversation:read"
    /// `conversation:referral`: A user was referred to the conversation.
    public static let conversationReferral: WebhookTrigger = "conversation:referral"
    /// `passthrough:messaging`: A channel event forwarded as it came.
    public static let passthroughMessaging: WebhookTrigger = "passthrough:messaging"
    /// `conversation:typing`: A user started or stopped typing.
    public static let conversationTyping: WebhookTrigger = "conversation:typing"
    /// `switchboard:acceptControl`: An integration accepted control.
    public static let switchboardAcceptControl: WebhookTrigger = "switchboard:acceptControl"
    /// `switchboard:acceptControl:failure`: Accepting control failed.
    public static let switchboardAcceptControlFailure: WebhookTrigger = "switchboard:acceptControl:failure"
    /// `switchboard:offerControl`: An integration was offered control.
    public static let switchboardOfferControl: WebhookTrigger = "switchboard:offerControl"
    /// `switchboard:offerControl:failure`: Offering control failed.
    public static let switchboardOfferControlFailure: WebhookTrigger = "switchboard:offerControl:failure"
    /// `switchboard:passControl`: Control was passed.
    public static let switchboardPassControl: WebhookTrigger = "switchboard:passControl"
    /// `switchboard:passControl:failure`: Passing control failed.
    public static let switchboardPassControlFailure: WebhookTrigger = "switchboard:passControl:failure"
    /// `switchboard:releaseControl`: Control was released.
    public static let switchboardReleaseControl: WebhookTrigger = "switchboard:releaseControl"
    /// `user:merge`: Users were merged.
    public static let userMerge: WebhookTrigger = "user:merge"
    /// `user:update`: A user's identification changed.
    public static let userUpdate: WebhookTrigger = "user:update"
    /// `user:remove`: A user was deleted.
    public static let userRemove: WebhookTrigger = "user:remove"
}
