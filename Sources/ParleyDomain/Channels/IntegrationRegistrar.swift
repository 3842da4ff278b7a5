/// What a channel settles with its provider when an integration of its type is created, before it
/// is stored (Telegram: the bot's token checked, its webhook set to Parley). Answers the settings
/// the provider told (the spec's server-set fields); a refusal is a 400 that says what the
/// provider said.
public protocol IntegrationRegistrar: Sendable {
    func register(_ integration: Integration, secrets: [String: String]) async throws -> [String: JSONValue]
}
