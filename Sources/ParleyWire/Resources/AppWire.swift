import ParleyDomain

/// `app` as the API shows it.
public struct AppWire: Encodable {
    public var id: String
    public var displayName: String
    public var settings: AppSettings
    public var metadata: Metadata?

    public init(_ app: App) {
        self.id = app.id.rawValue
        self.displayName = app.displayName
        self.settings = app.settings
        self.metadata = app.metadata
    }
}

public struct AppEnvelope: Encodable {
    public var app: AppWire

    public init(app: AppWire) {
        self.app = app
    }
}

/// CreateApp and UpdateApp bodies (`appCreateBody`, `appUpdateBody`).
public struct AppBody: Decodable {
    public var draft: AppDraft

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        draft = AppDraft(
            displayName: try container.decodePatch(String.self, forKey: AnyKey("displayName")),
            settings: try container.decodeNonNull(AppSettingsBody.self, forKey: AnyKey("settings"))?.settings,
            metadata: try container.decodePatch([String: JSONValue].self, forKey: AnyKey("metadata")))
    }
}

/// `appSettings` in a request: every field optional, none nullable.
public struct AppSettingsBody: Decodable {
    public var settings = AppSettings()

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        settings.conversationRetentionSeconds = try container.decodeNonNull(Int.self, forKey: AnyKey("conversationRetentionSeconds"))
        settings.maskCreditCardNumbers = try container.decodeNonNull(Bool.self, forKey: AnyKey("maskCreditCardNumbers"))
        settings.useAnimalNames = try container.decodeNonNull(Bool.self, forKey: AnyKey("useAnimalNames"))
        settings.echoPostback = try container.decodeNonNull(Bool.self, forKey: AnyKey("echoPostback"))
        settings.ignoreAutoConversationStart = try container.decodeNonNull(Bool.self, forKey: AnyKey("ignoreAutoConversationStart"))
        settings.multiConvoEnabled = try container.decodeNonNull(Bool.self, forKey: AnyKey("multiConvoEnabled"))
        settings.appLocalizationEnabled = try container.decodeNonNull(Bool.self, forKey: AnyKey("appLocalizationEnabled"))
        settings.endSessionEnabled = try container.decodeNonNull(Bool.self, forKey: AnyKey("endSessionEnabled"))
        settings.disableConversationReopen = try container.decodeNonNull(Bool.self, forKey: AnyKey("disableConversationReopen"))
    }
}
