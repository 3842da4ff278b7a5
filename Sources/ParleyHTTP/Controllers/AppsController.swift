import Hummingbird
import ParleyDomain
import ParleyWire

/// Apps: CreateApp, ListApps, GetApp, UpdateApp, DeleteApp.
struct AppsController {
    let apps: AppService
    let publicBaseURL: String?

    func register(on api: APIRouterBuilder) {
        api.on(.createApp) { call in
            let body = try await call.decode(AppBody.self)
            return try JSONResponse.make(AppEnvelope(app: AppWire(try await apps.create(body.draft))), status: .created)
        }
        api.on(.listApps) { call in
            if call.query["filter[serviceAccountId]"] != nil {
                // Parley has no service accounts, so no id can match the supplied credentials.
                throw ParleyError.forbidden("filter[serviceAccountId] does not match supplied credentials")
            }
            let pageRequest = try PageQuery.parse(call.query)
            let page = try await apps.list(pageRequest)
            return try call.pagedResponse(
                page, request: pageRequest, key: "apps", publicBaseURL: publicBaseURL, id: \.id, wire: AppWire.init)
        }
        api.on(.getApp) { call in
            try JSONResponse.make(AppEnvelope(app: AppWire(try await apps.get(try call.requiredAppId))))
        }
        api.on(.updateApp) { call in
            let body = try await call.decode(AppBody.self)
            return try JSONResponse.make(AppEnvelope(app: AppWire(try await apps.update(try call.requiredAppId, body.draft))))
        }
        api.on(.deleteApp) { call in
            try await apps.delete(try call.requiredAppId)
            return try JSONResponse.empty()
        }
    }
}
