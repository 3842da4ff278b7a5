/// The app's switches. Every one is optional: unset means "the platform default", and the API
/// echoes back only what was set.
public struct AppSettings: Hashable, Sendable, Codable {
    public var conversationRetentionSeconds: Int?
    public var maskCreditCardNumbers: Bool?
    public var useAnimalNames: Bool?
    public var echoPostback: Bool?
    public var ignoreAutoConversationStart: Bool?
    public var multiConvoEnabled: Bool?
    public var appLocalizationEnabled: Bool?
    public var endSessionEnabled: Bool?
    public var disableConversationReopen: Bool?

    public init() {}

    /// Overlays the fields `other` sets; fields it leaves unset keep their value.
    public func merging(_ other: AppSettings) -> AppSettings {
        var merged = self
        merged.conversationRetentionSeconds = other.conversationRetentionSeconds ?? conversationRetentionSeconds
        merged.maskCreditCardNumbers = other.maskCreditCardNumbers ?? maskCreditCardNumbers
        merged.useAnimalNames = other.useAnimalNames ?? useAnimalNames
        merged.echoPostback = other.echoPostback ?? echoPostback
        merged.ignoreAutoConversationStart = other.ignoreAutoConversationStart ?? ignoreAutoConversationStart
        merged.multiConvoEnabled = other.multiConvoEnabled ?? multiConvoEnabled
        merged.appLocalizationEnabled = other.appLocalizationEnabled ?? appLocalizationEnabled
        merged.endSessionEnabled = other.endSessionEnabled ?? endSessionEnabled
        merged.disableConversationReopen = other.disableConversationReopen ?? disableConversationReopen
        return merged
    }

    /// The rules the spec states in prose: retention is not negative, multi-conversation cannot be
    /// switched off once on, and the two session settings need it on.
    public func validated(previous: AppSettings?) throws -> AppSettings {
        if let seconds = conversationRetentionSeconds, seconds < 0 {
            throw ParleyError.badRequest("settings.conversationRetentionSeconds must be 0 or more")
        }
        if previous?.multiConvoEnabled == true, multiConvoEnabled == false {
            throw ParleyError.badRequest("settings.multiConvoEnabled cannot be disabled once enabled")
        }
        let multiConvo = multiConvoEnabled == true
        if endSessionEnabled == true, !multiConvo {
            throw ParleyError.badRequest("settings.endSessionEnabled requires settings.multiConvoEnabled")
        }
        if disableConversationReopen == true, !multiConvo {
            throw ParleyError.badRequest("settings.disableConversationReopen requires settings.multiConvoEnabled")
        }
        return self
    }
}
