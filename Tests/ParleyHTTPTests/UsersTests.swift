import Foundation
import Testing

@Suite("Users")
struct UsersTests {
    static let datetime = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$"

    @Test("CreateUser answers 201 with every field, defaults filled")
    func createUser() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let response = try await api.post(
                "/v2/apps/\(appId)/users",
                ["externalId": "your-own-id", "signedUpAt": "2020-05-21T15:53:30.197Z", "toBeRetained": true,
                 "profile": ["givenName": "Jane", "surname": "Doe", "email": "jane.doe@gmail.com",
                             "avatarUrl": "https://s3.amazonaws.com/avatar.jpg", "locale": "fr-CA"],
                 "metadata": ["lang": "en-ca"]])
            #expect(response.status == 201)
            let user = try #require(response.object["user"])
            #expect((user["id"] as? String)?.range(of: "^[0-9a-f]{24}$", options: .regularExpression) != nil)
            #expect(user["externalId"] as? String == "your-own-id")
            #expect(user["signedUpAt"] as? String == "2020-05-21T15:53:30.197Z")
            #expect(user["toBeRetained"] as? Bool == true)
            #expect(user["authenticated"] as? Bool == true)
            #expect((user["profile"] as? [String: String])?["locale"] == "fr-CA")
            #expect((user["metadata"] as? [String: String]) == ["lang": "en-ca"])
            #expect((user["identities"] as? [Any])?.isEmpty == true)

            let anonymous = try await api.createUser(appId: appId)
            #expect(anonymous["externalId"] == nil)
            #expect(anonymous["authenticated"] as? Bool == false)
            #expect(anonymous["toBeRetained"] as? Bool == false)
            #expect((anonymous["signedUpAt"] as? String)?.range(of: Self.datetime, options: .regularExpression) != nil)
        }
    }

    @Test("A duplicate externalId is 409 conflict, also under concurrency; another brand may reuse it")
    func duplicateExternalId() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await api.post("/v2/apps/\(appId)/users", ["externalId": "same"]).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.sorted() == [201] + Array(repeating: 409, count: 7))
            let again = try await api.post("/v2/apps/\(appId)/users", ["externalId": "same"])
            #expect(again.errorCode == "conflict")
            let branded = try await api.post("/v2/apps/\(appId)/users", ["externalId": "same", "brandId": "9477922990333"])
            #expect(branded.status == 201)
            // Looked up with its brand, the branded user is found by externalId; without, the unbranded one.
            let withBrand = try await api.get("/v2/apps/\(appId)/users/same?brandId=9477922990333")
            #expect(withBrand.object["user"]?["brandId"] as? String == "9477922990333")
            let withoutBrand = try await api.get("/v2/apps/\(appId)/users/same")
            #expect(withoutBrand.object["user"]?["brandId"] == nil)
        }
    }

    @Test("CreateUser refuses bad fields with 400 naming the field", arguments: [
        (#"{"externalId": ""}"#, "externalId"),
        (#"{"externalId": "\#(String(repeating: "x", count: 1025))"}"#, "externalId"),
        (#"{"externalId": 12}"#, "externalId"),
        (#"{"brandId": "\#(String(repeating: "1", count: 25))"}"#, "brandId"),
        (#"{"signedUpAt": "yesterday"}"#, "signedUpAt"),
        (#"{"toBeRetained": "yes"}"#, "toBeRetained"),
        (#"{"profile": {"email": "not-an-email"}}"#, "profile.email"),
        (#"{"profile": {"givenName": ""}}"#, "profile.givenName"),
        (#"{"profile": {"surname": "\#(String(repeating: "x", count: 129))"}}"#, "profile.surname"),
        (#"{"profile": {"avatarUrl": "not a url"}}"#, "profile.avatarUrl"),
        (#"{"profile": {"locale": "\#(String(repeating: "x", count: 65))"}}"#, "profile.locale"),
        (#"{"profile": "Jane"}"#, "profile"),
        (#"{"metadata": {"list": [1, 2]}}"#, "metadata.list"),
        (#"{"externalId": null}"#, "externalId"),
        (#"{"toBeRetained": null}"#, "toBeRetained"),
        (#"{"signedUpAt": null}"#, "signedUpAt"),
        (#"{"profile": null}"#, "profile"),
        (#"{"signedUpAt": "2020-02-30T00:00:00.000Z"}"#, "signedUpAt"),
    ])
    func createUserValidation(body: String, field: String) async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let response = try await api.call(.post, "/v2/apps/\(appId)/users", body: body)
            #expect(response.status == 400)
            #expect(response.errorCode == "bad_request")
            #expect(response.errorTitle.contains(field), "\(response.errorTitle)")
        }
    }

    @Test("GetUser, UpdateUser and DeleteUser work by id and by externalId")
    func lookupAndUpdate() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let user = try await api.createUser(appId: appId, ["externalId": "bob", "profile": ["givenName": "Bob", "email": "bob@example.com"]])
            let id = try #require(user["id"] as? String)
            #expect(try await api.get("/v2/apps/\(appId)/users/\(id)").object["user"]?["externalId"] as? String == "bob")
            #expect(try await api.get("/v2/apps/\(appId)/users/bob").object["user"]?["id"] as? String == id)

            let updated = try await api.patch(
                "/v2/apps/\(appId)/users/bob",
                ["profile": ["surname": "Builder", "email": NSNull()], "metadata": ["plan": "pro"], "toBeRetained": true,
                 "signedUpAt": "2021-01-02T03:04:05.006Z"])
            #expect(updated.status == 200)
            let profile = updated.object["user"]?["profile"] as? [String: String]
            #expect(profile == ["givenName": "Bob", "surname": "Builder"])
            #expect(updated.object["user"]?["metadata"] as? [String: String] == ["plan": "pro"])
            #expect(updated.object["user"]?["toBeRetained"] as? Bool == true)
            #expect(updated.object["user"]?["signedUpAt"] as? String == "2021-01-02T03:04:05.006Z")
            #expect(try await api.get("/v2/apps/\(appId)/users/\(id)").object["user"]?["profile"] as? [String: String] == profile)

            #expect(try await api.patch("/v2/apps/\(appId)/users/bob", ["externalId": "robert"]).status == 400)
            #expect(try await api.patch("/v2/apps/\(appId)/users/bob", ["signedUpAt": NSNull()]).status == 400)

            #expect(try await api.delete("/v2/apps/\(appId)/users/\(id)").status == 200)
            for response in [
                try await api.get("/v2/apps/\(appId)/users/bob"), try await api.get("/v2/apps/\(appId)/users/\(id)"),
                try await api.patch("/v2/apps/\(appId)/users/bob", ["toBeRetained": false]),
                try await api.delete("/v2/apps/\(appId)/users/bob"),
                try await api.delete("/v2/apps/\(appId)/users/bob/personalinformation"),
            ] {
                #expect(response.status == 404)
                #expect(response.errorCode == "user_not_found")
            }
        }
    }

    @Test("A user of one app is invisible from another app")
    func usersStayInTheirApp() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let otherAppId = try await api.createApp()
            let id = try #require(try await api.createUser(appId: appId, ["externalId": "carol"])["id"] as? String)
            #expect(try await api.get("/v2/apps/\(otherAppId)/users/\(id)").status == 404)
            #expect(try await api.get("/v2/apps/\(otherAppId)/users/carol").status == 404)
        }
    }

    @Test("DeleteUserPersonalInformation clears names, email, avatar and metadata, keeps ids and locale")
    func deletePersonalInformation() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            _ = try await api.createUser(
                appId: appId,
                ["externalId": "dave", "profile": ["givenName": "Dave", "surname": "D", "email": "d@example.com",
                                                   "avatarUrl": "https://example.com/a.png", "locale": "en-GB"],
                 "metadata": ["secret": "x"]])
            let response = try await api.delete("/v2/apps/\(appId)/users/dave/personalinformation")
            #expect(response.status == 200)
            let user = try #require(response.object["user"])
            #expect(user["externalId"] as? String == "dave")
            #expect(user["profile"] as? [String: String] == ["locale": "en-GB"])
            #expect((user["metadata"] as? [String: Any])?.isEmpty == true)
            #expect(try await api.get("/v2/apps/\(appId)/users/dave").object["user"]?["profile"] as? [String: String] == ["locale": "en-GB"])
        }
    }

    @Test("ListUsers needs filter[identities.email] and matches identities, not profile.email")
    func listUsers() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            _ = try await api.createUser(appId: appId, ["profile": ["email": "sue@example.org"]])
            let missing = try await api.get("/v2/apps/\(appId)/users")
            #expect(missing.status == 400)
            #expect(missing.errorCode == "bad_request")
            let empty = try await api.get("/v2/apps/\(appId)/users?filter[identities.email]=")
            #expect(empty.status == 200)
            #expect(empty.list("users").isEmpty)
            let response = try await api.get("/v2/apps/\(appId)/users?filter%5Bidentities.email%5D=sue%40example.org")
            #expect(response.status == 200)
            #expect(response.json["users"] as? [Any] != nil)
            #expect(response.list("users").isEmpty)
        }
    }
}
