import Foundation

/// Integrations: CreateIntegration … DeleteIntegration for the 16 types, driven by the fields of
/// `IntegrationCatalog` and of the carried channels, so one set of rules serves every type.
public struct IntegrationService: Sendable {
    private let store: any IntegrationStore
    private let sealer: any SecretSealer
    private let outbound: OutboundAddressPolicy
    private let ids: ResourceIDGenerator
    /// The channels Parley carries, by type: their fields and cross-field rules.
    private let channels: [String: any ChannelRules]
    /// What channels settle with their providers on creation and when a credential changes; nil:
    /// nothing.
    private let registrar: (any IntegrationRegistrar)?

    public init(
        store: any IntegrationStore, sealer: any SecretSealer, outbound: OutboundAddressPolicy = OutboundAddressPolicy(), ids: ResourceIDGenerator,
        channels: [any ChannelRules], registrar: (any IntegrationRegistrar)? = nil
    ) {
        self.registrar = registrar
        self.store = store
        self.sealer = sealer
        self.outbound = outbound
        self.ids = ids
        self.channels = Dictionary(channels.map { ($0.type, $0) }) { first, _ in first }
    }

    public func create(appId: ResourceID, _ draft: IntegrationDraft) async throws -> Integration {
        var reader = try JSONReader(draft.fields, path: "")
        guard let type = draft.type else { throw ParleyError.badRequest("type is required") }
        guard let fields = IntegrationCatalog.fields(of: type, channels: channels) else { throw ParleyError.badRequest("Invalid integration type") }
        let id = ids.next()
        var settings: [String: JSONValue] = [:]
        var secrets: [String: String] = [:]
        for field in fields {
            guard let value = try Self.read(field, from: &reader, creating: true) else {
                if let defaultValue = field.defaultValue { settings[field.name] = defaultValue }
                continue
            }
            if field.access == .secret, case .string(let secret) = value {
                secrets[field.name] = secret
            } else if value != .null {
                settings[field.name] = value
            }
        }
        try channels[type]?.checkIntegration(settings: settings)
        for field in fields where field.access == .generated { settings[field.name] = .string(Self.randomHex(bytes: 16)) }
        var webhooks: [Webhook] = []
        if type == "custom" {
            guard let drafts = draft.webhooks else { throw ParleyError.badRequest("webhooks is required") }
            webhooks = try drafts.enumerated().map { index, webhook in
                try Webhook.validated(
                    webhook, path: "webhooks[\(index)]", id: ids.next(), integrationId: id, secret: try sealer.seal(Self.randomHex(bytes: 16)),
                    outbound: outbound)
            }
        }
        var integration = Integration(
            id: id, appId: appId, type: type, settings: settings, secrets: try seal(secrets), webhooks: webhooks)
        if let registrar {
            for (name, value) in try await registrar.register(integration, secrets: secrets) { integration.settings[name] = value }
        }
        try await store.insertIntegration(integration)
        return integration
    }

    public func list(appId: ResourceID, types: String?, page: PageRequest) async throws -> Page<Integration> {
        let filter = types.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        return try await store.integrations(appId: appId, types: filter, page: page)
    }

    public func get(appId: ResourceID, id: String) async throws -> Integration {
        guard let id = ResourceID(id), let integration = try await store.integration(appId: appId, id: id) else {
            throw ParleyError.notFound(.integration)
        }
        return integration
    }

    /// Applies an update body: only the fields the type's update schema lists; null clears a
    /// nullable one; a changed credential goes to the channel's registrar as on creation. Anything
    /// else named in the body is 400, so a client learns that the change needs the integration to
    /// be re-created.
    public func update(appId: ResourceID, id: String, _ draft: IntegrationDraft) async throws -> Integration {
        let current = try await get(appId: appId, id: id)
        var reader = try JSONReader(draft.fields, path: "")
        let fields = IntegrationCatalog.fields(of: current.type, channels: channels) ?? []
        var changes: [(IntegrationField, JSONValue)] = []
        for field in fields where field.updatable {
            if let value = try Self.read(field, from: &reader, creating: false) { changes.append((field, value)) }
        }
        reader.accept("type")
        if let unknown = reader.object.keys.sorted().first(where: { !reader.known.contains($0) }) {
            throw ParleyError.badRequest("\(unknown) cannot be updated on a \(current.type) integration; delete and re-create it instead")
        }
        if case .string(let type)? = reader.object["type"], type != current.type {
            throw ParleyError.badRequest("type cannot be changed")
        }
        // A new credential is settled with the provider again (a page's new access token: its
        // page named, its webhooks subscribed) before anything is stored; a refusal changes nothing.
        var registered: [String: JSONValue] = [:]
        if let registrar, changes.contains(where: { $0.0.access == .secret }) {
            var secrets = try secrets(of: current)
            for (field, value) in changes where field.access == .secret {
                if case .string(let secret) = value { secrets[field.name] = secret } else { secrets[field.name] = nil }
            }
            registered = try await registrar.register(current, secrets: secrets)
        }
        let sealer = self.sealer
        let fieldChanges = changes
        let settled = registered
        guard let updated = try await store.updateIntegration(appId: appId, id: current.id, { integration in
            var secrets = try integration.secrets.map { try Self.unseal($0, sealer) } ?? [:]
            for (field, value) in fieldChanges {
                if field.access == .secret {
                    if case .string(let secret) = value { secrets[field.name] = secret } else { secrets[field.name] = nil }
                } else if value == .null {
                    integration.settings[field.name] = nil
                } else {
                    integration.settings[field.name] = value
                }
            }
            for (name, value) in settled { integration.settings[name] = value }
            integration.secrets = try Self.seal(secrets, sealer)
        }) else { throw ParleyError.notFound(.integration) }
        return updated
    }

    public func delete(appId: ResourceID, id: String) async throws {
        let integration = try await get(appId: appId, id: id)
        guard try await store.deleteIntegration(appId: appId, id: integration.id) else { throw ParleyError.notFound(.integration) }
    }

    /// The plain credentials, for connectors that call the channel.
    public func secrets(of integration: Integration) throws -> [String: String] {
        try integration.secrets.map { try Self.unseal($0, sealer) } ?? [:]
    }

    private func seal(_ secrets: [String: String]) throws -> SealedSecret? {
        try Self.seal(secrets, sealer)
    }

    private static func seal(_ secrets: [String: String], _ sealer: any SecretSealer) throws -> SealedSecret? {
        guard !secrets.isEmpty else { return nil }
        return try sealer.seal(fields: secrets)
    }

    private static func unseal(_ sealed: SealedSecret, _ sealer: any SecretSealer) throws -> [String: String] {
        try sealer.openFields(sealed)
    }

    /// Reads one catalog field with its rules; nil when the body leaves it out.
    private static func read(_ field: IntegrationField, from reader: inout JSONReader, creating: Bool) throws -> JSONValue? {
        let name = field.name
        guard let value = reader.object[name] else {
            if creating, field.requiredOnCreate { throw ParleyError.badRequest("\(name) is required") }
            reader.accept(name)
            return nil
        }
        reader.accept(name)
        if field.access == .serverSet || field.access == .generated {
            throw ParleyError.badRequest("\(name) is set by the server and cannot be given")
        }
        if value == .null {
            // Some required fields are also nullable in the spec (viber's token, mailgun's apiKey):
            // null is then accepted and means "no value", as the schema allows.
            guard field.nullable else { throw ParleyError.badRequest("\(name) cannot be null") }
            return .null
        }
        switch field.kind {
        case .string(let minLength, let maxLength):
            guard case .string(let text) = value else { throw ParleyError.badRequest("\(name) must be a string") }
            try Rules.length(text, minLength...(maxLength ?? Int.max), field: name)
        case .oneOf(let allowed):
            guard case .string(let text) = value, allowed.contains(text) else {
                throw ParleyError.badRequest("\(name) must be one of \(allowed.joined(separator: ", "))")
            }
        case .color:
            guard case .string(let text) = value, [3, 6].contains(text.count), text.utf8.allSatisfy(\.isHexDigit) else {
                throw ParleyError.badRequest("\(name) must be 3 or 6 hex digits")
            }
        case .bool:
            guard case .bool = value else { throw ParleyError.badRequest("\(name) must be a boolean") }
        case .number:
            switch value {
            case .integer, .double: break
            default: throw ParleyError.badRequest("\(name) must be a number")
            }
        case .stringArray:
            guard case .array(let items) = value, items.allSatisfy({ if case .string = $0 { true } else { false } }) else {
                throw ParleyError.badRequest("\(name) must be an array of strings")
            }
            for case (let index, .string(let text)) in items.enumerated() { try Rules.noNUL(text, field: "\(name)[\(index)]") }
        case .prechatCapture:
            try Self.validatePrechatCapture(value)
        }
        return value
    }

    /// `prechatCapture`: `{avatarUrl, enabled, enableEmailLinking, fields: [field]}`, each field as
    /// the spec's shared `field` schema (type, name and label required).
    private static func validatePrechatCapture(_ value: JSONValue) throws {
        var reader = try JSONReader(value, path: "prechatCapture")
        _ = try reader.string("avatarUrl")
        _ = try reader.bool("enabled")
        _ = try reader.bool("enableEmailLinking")
        for (index, item) in (try reader.array("fields") ?? []).enumerated() {
            var field = try JSONReader(item, path: "prechatCapture.fields[\(index)]")
            _ = try field.oneOf("type", ["email", "select", "text"], required: true)
            _ = try field.string("name", required: true, length: 1...128)
            _ = try field.string("label", required: true, length: 1...128)
            _ = try field.string("text", length: 1...256)
            _ = try field.string("email", length: 1...128)
            _ = try field.oneOf("format", ["integer", "decimal"])
            for (answerIndex, answer) in (try field.array("select") ?? []).enumerated() {
                guard case .object = answer else {
                    throw ParleyError.badRequest("prechatCapture.fields[\(index)].select[\(answerIndex)] must be an object")
                }
            }
        }
    }

    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
