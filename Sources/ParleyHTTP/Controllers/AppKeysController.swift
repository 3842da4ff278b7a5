import Hummingbird
import ParleyDomain
import ParleyWire

/// App keys: CreateAppKey, ListAppKeys, GetAppKey, DeleteAppKey (account scope only).
struct AppKeysController {
    let keys: KeyService

    func register(on api: APIRouterBuilder) {
        api.on(.createAppKey) { call in
            let body = try await call.decode(KeyBody.self)
            let issued = try await keys.createAppKey(appId: try call.requiredAppId, displayName: body.displayName)
            return try JSONResponse.make(KeyEnvelope(key: KeyWire(issued)), status: .created)
        }
        api.on(.listAppKeys) { call in
            try JSONResponse.make(KeyListEnvelope(keys: try await keys.listAppKeys(appId: try call.requiredAppId).map(KeyWire.init)))
        }
        api.on(.getAppKey) { call in
            let issued = try await keys.getAppKey(appId: try call.requiredAppId, keyId: call.parameter("keyId"))
            return try JSONResponse.make(KeyEnvelope(key: KeyWire(issued)))
        }
        api.on(.deleteAppKey) { call in
            try await keys.deleteAppKey(appId: try call.requiredAppId, keyId: call.parameter("keyId"))
            return try JSONResponse.empty()
        }
    }
}
