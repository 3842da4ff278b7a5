import Hummingbird
import ParleyDomain
import ParleyWire

/// Switchboards and switchboard integrations: the eight CRUD operations.
struct SwitchboardsController {
    let switchboards: SwitchboardService

    func register(on api: APIRouterBuilder) {
        let switchboards = self.switchboards
        api.on(.listSwitchboards) { call in
            try JSONResponse.make(SwitchboardListEnvelope(try await switchboards.list(appId: try call.requiredAppId)))
        }
        api.on(.createSwitchboard) { call in
            try JSONResponse.make(SwitchboardEnvelope(try await switchboards.create(appId: try call.requiredAppId)), status: .created)
        }
        api.on(.updateSwitchboard) { call in
            let body = try await call.decode(SwitchboardBody.self)
            let switchboard = try await switchboards.update(appId: try call.requiredAppId, id: call.parameter("switchboardId"), body.draft)
            return try JSONResponse.make(SwitchboardEnvelope(switchboard))
        }
        api.on(.deleteSwitchboard) { call in
            try await switchboards.delete(appId: try call.requiredAppId, id: call.parameter("switchboardId"))
            return try JSONResponse.empty()
        }
        api.on(.listSwitchboardIntegrations) { call in
            let integrations = try await switchboards.integrations(appId: try call.requiredAppId, switchboardId: call.parameter("switchboardId"))
            return try JSONResponse.make(SwitchboardIntegrationListEnvelope(integrations))
        }
        api.on(.createSwitchboardIntegration) { call in
            let body = try await call.decode(SwitchboardIntegrationBody.self)
            let integration = try await switchboards.createIntegration(
                appId: try call.requiredAppId, switchboardId: call.parameter("switchboardId"), body.draft)
            return try JSONResponse.make(SwitchboardIntegrationEnvelope(integration), status: .created)
        }
        api.on(.updateSwitchboardIntegration) { call in
            let body = try await call.decode(SwitchboardIntegrationBody.self)
            let integration = try await switchboards.updateIntegration(
                appId: try call.requiredAppId, switchboardId: call.parameter("switchboardId"), id: call.parameter("switchboardIntegrationId"),
                body.draft)
            return try JSONResponse.make(SwitchboardIntegrationEnvelope(integration))
        }
        api.on(.deleteSwitchboardIntegration) { call in
            try await switchboards.deleteIntegration(
                appId: try call.requiredAppId, switchboardId: call.parameter("switchboardId"), id: call.parameter("switchboardIntegrationId"))
            return try JSONResponse.empty()
        }
    }
}
