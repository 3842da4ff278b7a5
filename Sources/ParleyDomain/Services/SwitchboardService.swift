/// Switchboards, their integrations and the control actions: ListSwitchboards … DeleteSwitchboard,
/// List/Create/Update/DeleteSwitchboardIntegration, PassControl, OfferControl, AcceptControl,
/// ReleaseControl. Every rule is checked on the setup as its write transaction reads it.
public struct SwitchboardService: Sendable {
    private let store: any SwitchboardStore & IntegrationStore
    private let ids: ResourceIDGenerator
    private let events: EventFactory
    private let now: @Sendable () -> Timestamp

    public init(store: any SwitchboardStore & IntegrationStore, ids: ResourceIDGenerator, now: @escaping @Sendable () -> Timestamp = { .now() }) {
        self.store = store
        self.ids = ids
        self.events = EventFactory(ids: ids, now: now)
        self.now = now
    }

    // MARK: Switchboards

    public func list(appId: ResourceID) async throws -> [Switchboard] {
        try await store.switchboardSetup(appId: appId).map { [$0.switchboard] } ?? []
    }

    /// CreateSwitchboard: disabled, with no integrations (it has no body).
    public func create(appId: ResourceID) async throws -> Switchboard {
        let switchboard = Switchboard(id: ids.next(), appId: appId, createdAt: now())
        return try await store.changeSwitchboard(appId: appId) { setup in
            guard setup == nil else { throw ParleyError.badRequest("Only one switchboard can be created per app") }
            setup = SwitchboardSetup(switchboard: switchboard, integrations: [])
            return switchboard
        }
    }

    public func update(appId: ResourceID, id: String, _ draft: SwitchboardDraft) async throws -> Switchboard {
        try await store.changeSwitchboard(appId: appId) { setup in
            var current = try Self.switchboard(id, in: setup)
            if let text = draft.defaultSwitchboardIntegrationId {
                guard let integration = current.integration(ResourceID(text)) else {
                    throw ParleyError.badRequest("defaultSwitchboardIntegrationId must name a switchboard integration of this switchboard")
                }
                current.switchboard.defaultSwitchboardIntegrationId = integration.id
            }
            if let enabled = draft.enabled { current.switchboard.enabled = enabled }
            try Self.checkDefault(current.switchboard)
            setup = current
            return current.switchboard
        }
    }

    /// Deletes the switchboard with its integrations; their integrations then receive every event.
    public func delete(appId: ResourceID, id: String) async throws {
        try await store.changeSwitchboard(appId: appId) { setup in
            _ = try Self.switchboard(id, in: setup)
            setup = nil
        }
    }

    // MARK: Switchboard integrations

    public func integrations(appId: ResourceID, switchboardId: String) async throws -> [SwitchboardIntegration] {
        try Self.switchboard(switchboardId, in: try await store.switchboardSetup(appId: appId)).integrations
    }

    public func createIntegration(appId: ResourceID, switchboardId: String, _ draft: SwitchboardIntegrationDraft) async throws -> SwitchboardIntegration {
        guard let name = draft.name else { throw ParleyError.badRequest("name is required") }
        guard (draft.integrationId == nil) != (draft.integrationType == nil) else {
            throw ParleyError.badRequest("Give exactly one of integrationId or integrationType")
        }
        let linked = try await integration(appId: appId, id: draft.integrationId, type: draft.integrationType)
        let id = ids.next()
        let created = now()
        return try await store.changeSwitchboard(appId: appId) { setup in
            var current = try Self.switchboard(switchboardId, in: setup)
            guard current.integrations.count < SwitchboardIntegration.maximumPerSwitchboard else {
                throw ParleyError(
                    kind: .badRequest, code: "too_many_switchboard_integrations",
                    title: "Switchboard has reached the max number of switchboard integrations (\(SwitchboardIntegration.maximumPerSwitchboard))")
            }
            var integration = SwitchboardIntegration(
                id: id, switchboardId: current.switchboard.id, name: name, integrationId: linked.id, integrationType: linked.type,
                deliverStandbyEvents: draft.deliverStandbyEvents ?? true, createdAt: created)
            try Self.apply(draft, to: &integration, in: current)
            current.integrations.append(integration)
            setup = current
            return integration
        }
    }

    public func updateIntegration(
        appId: ResourceID, switchboardId: String, id: String, _ draft: SwitchboardIntegrationDraft
    ) async throws -> SwitchboardIntegration {
        if draft.integrationId != nil, draft.integrationType != nil {
            throw ParleyError.badRequest("Give at most one of integrationId or integrationType")
        }
        let linked: Integration? =
            draft.integrationId == nil && draft.integrationType == nil
            ? nil : try await integration(appId: appId, id: draft.integrationId, type: draft.integrationType)
        return try await store.changeSwitchboard(appId: appId) { setup in
            var current = try Self.switchboard(switchboardId, in: setup)
            guard let index = current.integrations.firstIndex(where: { $0.id == ResourceID(id) }) else {
                throw ParleyError.notFound(.switchboardIntegration)
            }
            var integration = current.integrations[index]
            if let name = draft.name { integration.name = name }
            if let linked {
                integration.integrationId = linked.id
                integration.integrationType = linked.type
            }
            if let deliver = draft.deliverStandbyEvents { integration.deliverStandbyEvents = deliver }
            try Self.apply(draft, to: &integration, in: current)
            current.integrations[index] = integration
            setup = current
            return integration
        }
    }

    /// Refused for the switchboard's default and for one another integration passes to (`next`).
    public func deleteIntegration(appId: ResourceID, switchboardId: String, id: String) async throws {
        try await store.changeSwitchboard(appId: appId) { setup in
            var current = try Self.switchboard(switchboardId, in: setup)
            guard let integration = current.integration(ResourceID(id)) else { throw ParleyError.notFound(.switchboardIntegration) }
            if current.switchboard.defaultSwitchboardIntegrationId == integration.id {
                throw ParleyError.badRequest("The switchboard's default switchboard integration cannot be deleted: choose another default first")
            }
            if let referring = current.integrations.first(where: { $0.nextSwitchboardIntegrationId == integration.id }) {
                throw ParleyError.badRequest("Switchboard integration \(referring.name) passes control to this one (nextSwitchboardIntegrationId)")
            }
            current.integrations.removeAll { $0.id == integration.id }
            setup = current
        }
    }

    // MARK: Control

    /// PassControl, OfferControl, AcceptControl and ReleaseControl. `caller` is the integration
    /// whose key made the request (nil for app and account keys): AcceptControl is 403 unless it
    /// is the pending integration, ReleaseControl unless it is the active one. What the
    /// conversation's state refuses is answered 200 and told by a `switchboard:*:failure` event,
    /// as Sunshine Conversations does; the request's own mistakes are 400.
    public func control(appId: ResourceID, conversationId: String, _ action: ControlAction, caller: ResourceID?) async throws {
        guard let id = ResourceID(conversationId) else { throw ParleyError.notFound(.conversation) }
        let events = self.events
        let found = try await store.changeControl(appId: appId, conversationId: id) { conversation, setup, latest in
            try SwitchboardControl(action: action, caller: caller, setup: setup, latestMessages: latest, events: events).apply(to: &conversation)
        }
        guard found else { throw ParleyError.notFound(.conversation) }
    }

    // MARK: Rules

    private static func switchboard(_ id: String, in setup: SwitchboardSetup?) throws -> SwitchboardSetup {
        guard let setup, setup.switchboard.id == ResourceID(id) else { throw ParleyError.notFound(.switchboard) }
        return setup
    }

    private static func checkDefault(_ switchboard: Switchboard) throws {
        if switchboard.enabled, switchboard.defaultSwitchboardIntegrationId == nil {
            throw ParleyError.badRequest("Enabled switchboard must have an associated default switchboardIntegration")
        }
    }

    /// The fields a draft sets on an integration of `setup`, judged against the others.
    private static func apply(_ draft: SwitchboardIntegrationDraft, to integration: inout SwitchboardIntegration, in setup: SwitchboardSetup) throws {
        try Rules.switchboardIntegrationName(integration.name)
        if setup.integrations.contains(where: { $0.id != integration.id && $0.name == integration.name }) {
            throw ParleyError.badRequest("The switchboard already has a switchboard integration named \(integration.name)")
        }
        switch draft.nextSwitchboardIntegrationId {
        case .absent: break
        case .null: integration.nextSwitchboardIntegrationId = nil
        case .value(let text):
            guard let next = setup.integration(ResourceID(text)), next.id != integration.id else {
                throw ParleyError.badRequest("nextSwitchboardIntegrationId must name another switchboard integration of this switchboard")
            }
            integration.nextSwitchboardIntegrationId = next.id
        }
        integration.messageHistoryCount = draft.messageHistoryCount.apply(to: integration.messageHistoryCount)
    }

    /// The integration a switchboard integration stands for: by id, or the app's only one of a type.
    private func integration(appId: ResourceID, id: String?, type: String?) async throws -> Integration {
        if let id {
            guard let resourceID = ResourceID(id), let integration = try await store.integration(appId: appId, id: resourceID) else {
                throw ParleyError.badRequest("integrationId must name an integration of this app")
            }
            return integration
        }
        let type = type ?? ""
        let found = try await store.integrations(appId: appId, types: [type], page: PageRequest(size: 2)).items
        guard found.count == 1 else {
            throw ParleyError.badRequest(
                found.isEmpty
                    ? "The app has no integration of type \(type)"
                    : "The app has several integrations of type \(type): link one by integrationId")
        }
        return found[0]
    }
}
