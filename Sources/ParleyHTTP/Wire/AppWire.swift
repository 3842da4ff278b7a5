import ParleyDomain

/// `app` as the API shows it.
struct AppWire: Encodable {
    var id: String
    var displayName: String
    var settings: AppSettings
    var metadata: Metadata?

    init(_ app: App) {
        self.id = app.id.rawValue
        self.displayName = app.displayName
        self.settings = app.settings
        self.metadata = app.metadata
    }
}

struct AppEnvelope: Encodable {
    var app: AppWire
}

/// CreateApp and UpdateApp bodies (`appCreateBody`, `appUpdateBody`).
struct AppBody: Decodable {
    var draft: AppDraft

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        draft = AppDraft(
            displayName: try container.decodePatch(String.self, forKey: AnyKey("displayName")),
            settings: try container.decodeNonNull(AppSettingsBody.self, forKey: AnyKey("settings"))?.settings,
            metadata: try container.decodePatch([String: JSONValue].self, forKey: AnyKey("metadata")))
    }
}

/// `appSettings` in a request: every field optional, none nullable.
struct AppSettingsBody: Decodable {
    var settings = AppSettings()

    init(from decoder: any Decoder) throws {
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
