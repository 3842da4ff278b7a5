import Hummingbird
import ParleyDomain
import ParleyWire

/// PassControl, OfferControl, AcceptControl and ReleaseControl: `200 {}` once the action is
/// recorded, as it succeeded or as its `switchboard:*:failure` event.
struct SwitchboardActionsController {
    let switchboards: SwitchboardService

    func register(on api: APIRouterBuilder) {
        let switchboards = self.switchboards
        let actions: [(Operation, ControlBody.Kind)] = [(.passControl, .pass), (.offerControl, .offer), (.acceptControl, .accept), (.releaseControl, .release)]
        for (operation, kind) in actions {
            api.on(operation) { call in
                // ReleaseControl's body is optional; the others' are required.
                let body = kind == .release ? try await call.decodeIfPresent(ControlBody.self) ?? ControlBody(json: .object([:]))
                    : try await call.decode(ControlBody.self)
                // Integration keys act as their integration: AcceptControl and ReleaseControl check it.
                let caller = call.principal?.scope == .integration ? call.principal?.integrationId : nil
                try await switchboards.control(
                    appId: try call.requiredAppId, conversationId: call.parameter("conversationId"), try body.action(kind), caller: caller)
                return try JSONResponse.empty()
            }
        }
    }
}
