import Hummingbird
import ParleyDomain
import ParleyWire

/// Users: CreateUser, ListUsers, GetUser, UpdateUser, DeleteUser, DeleteUserPersonalInformation.
struct UsersController {
    let users: UserService

    func register(on api: APIRouterBuilder) {
        api.on(.createUser) { call in
            let body = try await call.decode(UserBody.self)
            let user = try await users.create(appId: try call.requiredAppId, body.draft)
            return try JSONResponse.make(UserEnvelope(user: UserWire(user)), status: .created)
        }
        api.on(.listUsers) { call in
            let found = try await users.list(appId: try call.requiredAppId, identityEmail: call.query["filter[identities.email]"])
            return try JSONResponse.make(UserListEnvelope(users: found.map(UserWire.init)))
        }
        api.on(.getUser) { call in
            try JSONResponse.make(UserEnvelope(user: UserWire(try await users.get(try lookup(call)))))
        }
        api.on(.updateUser) { call in
            let body = try await call.decode(UserBody.self)
            return try JSONResponse.make(UserEnvelope(user: UserWire(try await users.update(try lookup(call), body.draft))))
        }
        api.on(.deleteUser) { call in
            try await users.delete(try lookup(call))
            return try JSONResponse.empty()
        }
        api.on(.deleteUserPersonalInformation) { call in
            try JSONResponse.make(UserEnvelope(user: UserWire(try await users.deletePersonalInformation(try lookup(call)))))
        }
    }

    private func lookup(_ call: APICall) throws -> UserLookup {
        UserLookup(appId: try call.requiredAppId, idOrExternalId: call.parameter("userIdOrExternalId"), brandId: call.query["brandId"])
    }
}
