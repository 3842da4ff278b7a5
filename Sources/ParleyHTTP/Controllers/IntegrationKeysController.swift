import Hummingbird
import ParleyDomain
import ParleyWire

/// Custom integration keys: Create/List/Get/DeleteCustomIntegrationKey (`int_` keys).
struct IntegrationKeysController {
    let integrations: IntegrationService
    let keys: KeyService

    func register(on api: APIRouterBuilder) {
        api.on(.createCustomIntegrationKey) { call in
            let body = try await call.decode(KeyBody.self)
            let issued = try await keys.createIntegrationKey(try await call.integration(integrations), displayName: body.displayName)
            return try JSONResponse.make(KeyEnvelope(key: KeyWire(issued)), status: .created)
        }
        api.on(.listCustomIntegrationKeys) { call in
            try JSONResponse.make(KeyListEnvelope(keys: try await keys.listIntegrationKeys(try await call.integration(integrations)).map(KeyWire.init)))
        }
        api.on(.getCustomIntegrationKey) { call in
            let issued = try await keys.getIntegrationKey(try await call.integration(integrations), keyId: call.parameter("keyId"))
            return try JSONResponse.make(KeyEnvelope(key: KeyWire(issued)))
        }
        api.on(.deleteCustomIntegrationKey) { call in
            try await keys.deleteIntegrationKey(try await call.integration(integrations), keyId: call.parameter("keyId"))
            return try JSONResponse.empty()
        }
    }
}
