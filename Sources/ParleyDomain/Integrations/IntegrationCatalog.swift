/// The spec's integration types Parley stores but carries no traffic for, and their fields; the
/// channels it carries bring their own (`ChannelRules.integrationFields`). Create requires what
/// the spec requires; update accepts only what the type's `*Update` schema lists (the spec: "if a
/// property cannot be updated, delete the integration and re-create it").
enum IntegrationCatalog {
    typealias F = IntegrationField

    /// Fields every type but `custom` shares.
    static let common: [F] = [
        .field("displayName", .string(minLength: 1, maxLength: 100), updatable: true, nullable: true),
        .field("defaultResponderId", .string(), .secret, updatable: true, nullable: true),
        .field("showAIDisclaimer", .bool, updatable: true, default: .bool(true)),
    ]

    static let sdkSettings: [F] = [
        .field("canUserSeeConversationList", .bool, updatable: true),
        .field("canUserCreateMoreConversations", .bool, updatable: true),
        .field("attachmentsEnabled", .bool, .serverSet),
    ]

    static let types: [String: [F]] = [
        "android": [
            .field("projectId", .string(minLength: 1), .secret, updatable: true, nullable: true),
            .field("clientEmail", .string(minLength: 1), .secret, updatable: true, nullable: true),
            .field("privateKey", .string(minLength: 1), .secret, updatable: true, nullable: true),
            .field("serverKey", .string(minLength: 1), .secret, updatable: true, nullable: true),
            .field("senderId", .string(minLength: 1), updatable: true, nullable: true),
        ] + sdkSettings,
        "apple": [
            .field("businessId", .string(), required: true),
            .field("apiSecret", .string(), .secret, required: true),
            .field("mspId", .string(), required: true),
            .field("authenticationMessageSecret", .string(minLength: 88), .secret, updatable: true),
        ],
        "custom": [
            .field("displayName", .string(minLength: 1, maxLength: 100), updatable: true, nullable: true),
        ],
        "ios": [
            .field("certificate", .string(minLength: 1), .secret, updatable: true, nullable: true),
            .field("password", .string(), .secret, updatable: true),
            .field("production", .bool, updatable: true),
            .field("autoUpdateBadge", .bool, updatable: true),
        ] + sdkSettings,
        "line": [
            .field("channelId", .string()),
            .field("channelSecret", .string(), .secret),
            .field("channelAccessToken", .string(), .secret),
            .field("serviceCode", .string()),
            .field("switcherSecret", .string(minLength: 1), .secret),
            .field("qrCodeUrl", .string()),
            .field("lineId", .string(), .serverSet),
        ],
        "twitter": [
            .field("tier", .oneOf(["enterprise"]), required: true),
            .field("consumerKey", .string(minLength: 1), .secret, required: true),
            .field("consumerSecret", .string(minLength: 1), .secret, required: true, nullable: true),
            .field("accessTokenKey", .string(minLength: 1), .secret, required: true),
            .field("accessTokenSecret", .string(minLength: 1), .secret, required: true, nullable: true),
            .field("envName", .string(), .serverSet),
        ],
        "unity": sdkSettings,
        "viber": [
            .field("token", .string(minLength: 1), .secret, required: true, nullable: true),
            .field("uri", .string(), .serverSet),
            .field("accountId", .string(), .serverSet),
        ],
        "web": [
            .field("brandColor", .color, updatable: true, default: .string("65758e")),
            .field("fixedIntroPane", .bool, updatable: true, default: .bool(false)),
            .field("conversationColor", .color, updatable: true, default: .string("0099ff")),
            .field("actionColor", .color, updatable: true, default: .string("0099ff")),
            .field("displayStyle", .oneOf(["button", "tab"]), updatable: true, default: .string("button")),
            .field("buttonIconUrl", .string(), updatable: true, nullable: true),
            .field("buttonWidth", .string(), updatable: true, default: .string("58")),
            .field("buttonHeight", .string(), updatable: true, default: .string("58")),
            .field("integrationOrder", .stringArray, updatable: true, nullable: true),
            .field("businessName", .string(), updatable: true),
            .field("businessIconUrl", .string(), updatable: true),
            .field("backgroundImageUrl", .string(), updatable: true),
            .field("originWhitelist", .stringArray, updatable: true, nullable: true),
            .field("prechatCapture", .prechatCapture, updatable: true),
        ] + sdkSettings,
    ]

    /// The fields of a type, `common` included where it applies; nil for an unknown type. A
    /// carried channel's own list comes first.
    static func fields(of type: String, channels: [String: any ChannelRules]) -> [F]? {
        guard let own = channels[type]?.integrationFields ?? types[type] else { return nil }
        return type == "custom" ? own : common + own
    }
}
