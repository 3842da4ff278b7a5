/// One control action applied to a conversation as its transaction reads it: the new active and
/// pending switchboard integrations, and the `switchboard:*` event telling it (or its `:failure`).
struct SwitchboardControl {
    let action: ControlAction
    /// The integration whose key asked, if an integration key did.
    let caller: ResourceID?
    let setup: SwitchboardSetup?
    /// The conversation's latest messages, oldest first (at most 10).
    let latestMessages: [Message]
    let events: EventFactory

    func apply(to conversation: inout Conversation) throws -> [OutboxEvent] {
        let active = setup?.integration(conversation.activeSwitchboardIntegration?.id)
        let pending = setup?.integration(conversation.pendingSwitchboardIntegration?.id)
        switch action {
        case .pass(let target, let metadata):
            if case .next = target, let caller, let active, active.integrationId != caller,
                setup?.integrations.contains(where: { $0.integrationId == caller }) == true
            {
                // The caller already passed control on: a repeated `next` (a retry) is disregarded.
                return []
            }
            let chosen: SwitchboardIntegration
            switch resolve(target, from: active) {
            case .failure(let failure): return [event(.switchboardPassControlFailure, conversation, metadata, failure: failure)]
            case .success(let integration): chosen = integration
            }
            // Passing to the integration already in control changes nothing: no second event.
            if chosen.id == active?.id { return [] }
            conversation.activeSwitchboardIntegration = chosen.summary
            conversation.pendingSwitchboardIntegration = nil
            return [event(.switchboardPassControl, conversation, metadata, history: chosen.messageHistoryCount)]

        case .offer(let target, let metadata):
            let chosen: SwitchboardIntegration
            switch resolve(target, from: active) {
            case .failure(let failure): return [event(.switchboardOfferControlFailure, conversation, metadata, failure: failure)]
            case .success(let integration): chosen = integration
            }
            if chosen.id == active?.id {
                return [event(.switchboardOfferControlFailure, conversation, metadata,
                              failure: ControlFailure(.invalidTarget, "Cannot offer control to the active switchboard integration."))]
            }
            conversation.activeSwitchboardIntegration = active?.summary
            conversation.pendingSwitchboardIntegration = chosen.summary
            return [event(.switchboardOfferControl, conversation, metadata)]

        case .accept(let metadata):
            if let caller, pending?.integrationId != caller {
                throw ParleyError.forbidden("Only the pending switchboard integration can accept control")
            }
            guard let pending else {
                return [event(.switchboardAcceptControlFailure, conversation, metadata,
                              failure: ControlFailure(.invalidAction, "There is no pendingSwitchboardIntegration"))]
            }
            conversation.activeSwitchboardIntegration = pending.summary
            conversation.pendingSwitchboardIntegration = nil
            return [event(.switchboardAcceptControl, conversation, metadata, history: pending.messageHistoryCount)]

        case .release(let metadata):
            if let caller, active?.integrationId != caller {
                throw ParleyError.forbidden("Only the active switchboard integration can release control")
            }
            // Nothing to release: the state is already what the action asks for.
            guard active != nil || pending != nil else { return [] }
            conversation.activeSwitchboardIntegration = nil
            conversation.pendingSwitchboardIntegration = nil
            return [event(.switchboardReleaseControl, conversation, metadata)]
        }
    }

    /// `next` is the caller's next (when the caller is on the switchboard), else the active
    /// one's; a name is matched as an id, then a name, then an integration type (which must be
    /// unambiguous).
    private func resolve(_ target: SwitchboardTarget, from active: SwitchboardIntegration?) -> Result<SwitchboardIntegration, ControlFailure> {
        guard let setup else { return .failure(ControlFailure(.invalidTarget, "The app has no switchboard")) }
        switch target {
        case .next:
            let from = caller.flatMap { caller in setup.integrations.first { $0.integrationId == caller } } ?? active
            guard let from else { return .failure(ControlFailure(.invalidTarget, "No switchboard integration is in control to pass from")) }
            guard let next = setup.integration(from.nextSwitchboardIntegrationId) else {
                return .failure(ControlFailure(.invalidTarget, "Switchboard integration \(from.name) has no nextSwitchboardIntegrationId"))
            }
            return .success(next)
        case .named(let text):
            if let byId = setup.integration(ResourceID(text)) { return .success(byId) }
            if let byName = setup.integrations.first(where: { $0.name == text }) { return .success(byName) }
            let byType = setup.integrations.filter { $0.integrationType == text }
            if byType.count == 1 { return .success(byType[0]) }
            return .failure(ControlFailure(
                .invalidTarget,
                byType.isEmpty
                    ? "No switchboard integration has the id, name or integration type \(text)"
                    : "Several switchboard integrations have the integration type \(text): name one"))
        }
    }

    private func event(
        _ type: EventType, _ conversation: Conversation, _ metadata: Metadata?, failure: ControlFailure? = nil, history: Int? = nil
    ) -> OutboxEvent {
        events.control(type, ControlEvent(
            conversation: conversation, metadata: metadata, failure: failure, messageHistory: Array(latestMessages.suffix(history ?? 0))))
    }
}
