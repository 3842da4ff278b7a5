import Hummingbird
import ParleyDomain
import ParleyWire

/// Clients and devices: CreateClient, ListClients, RemoveClient, ListDevices, GetDevice.
struct ClientsController {
    let clients: ClientService
    let publicBaseURL: String?

    func register(on api: APIRouterBuilder) {
        api.on(.createClient) { call in
            let body = try await call.decode(ClientBody.self)
            let client = try await clients.create(try lookup(call), body.draft)
            return try JSONResponse.make(["client": ClientJSON.render(client)], status: .created)
        }
        api.on(.listClients) { call in
            let pageRequest = try PageQuery.parse(call.query)
            let page = try await clients.list(try lookup(call), page: pageRequest)
            return try call.pagedResponse(page, request: pageRequest, key: "clients", publicBaseURL: publicBaseURL, id: \.id, wire: ClientJSON.render)
        }
        api.on(.removeClient) { call in
            try await clients.remove(try lookup(call), clientId: call.parameter("clientId"))
            return try JSONResponse.empty()
        }
        api.on(.listDevices) { call in
            try JSONResponse.make(json: .object(["devices": .array(try await clients.devices(try lookup(call)).map(DeviceJSON.render))]))
        }
        api.on(.getDevice) { call in
            try JSONResponse.make(json: .object(["device": DeviceJSON.render(try await clients.device(try lookup(call), deviceId: call.parameter("deviceId")))]))
        }
    }

    private func lookup(_ call: APICall) throws -> UserLookup {
        UserLookup(appId: try call.requiredAppId, idOrExternalId: call.parameter("userIdOrExternalId"), brandId: call.query["brandId"])
    }
}
