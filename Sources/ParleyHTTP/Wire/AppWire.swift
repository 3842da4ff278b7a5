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

struct AppListEnvelope: Encodable {
    var apps: [AppWire]
    var meta: PageMeta
    var links: PageLinks
}

/// CreateApp and UpdateApp bodies (`appCreateBody`, `appUpdateBody`).
struct AppBody: Decodable {
    var draft: AppDraft

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        draft = AppDraft(
            displayName: try container.decodePatch(String.self, forKey: AnyKey("displayName")),
            settings: try container.decodeIfPresent(AppSettings.self, forKey: AnyKey("settings")),
            metadata: try container.decodePatch([String: JSONValue].self, forKey: AnyKey("metadata")))
    }
}
