import Foundation
import Testing

@Suite("Apps")
struct AppsTests {
    @Test("CreateApp answers 201 with id, displayName, settings and metadata")
    func createApp() async throws {
        try await TestServer.run { api in
            let response = try await api.post(
                "/v2/apps",
                ["displayName": "My App", "settings": ["maskCreditCardNumbers": true, "conversationRetentionSeconds": 3600],
                 "metadata": ["tier": "gold", "seats": 3, "beta": false]])
            #expect(response.status == 201)
            let app = try #require(response.object["app"])
            #expect((app["id"] as? String)?.range(of: "^[0-9a-f]{24}$", options: .regularExpression) != nil)
            #expect(app["displayName"] as? String == "My App")
            let settings = try #require(app["settings"] as? [String: Any])
            #expect(settings["maskCreditCardNumbers"] as? Bool == true)
            #expect(settings["conversationRetentionSeconds"] as? Int == 3600)
            #expect(settings["useAnimalNames"] == nil)
            let metadata = try #require(app["metadata"] as? [String: Any])
            #expect(metadata["seats"] as? Int == 3)
            #expect(metadata["tier"] as? String == "gold")
        }
    }

    @Test("CreateApp refuses bad bodies with 400 naming the field", arguments: [
        (#"{}"#, "displayName"),
        (#"{"displayName": ""}"#, "displayName"),
        (#"{"displayName": "\#(String(repeating: "x", count: 101))"}"#, "displayName"),
        (#"{"displayName": null}"#, "displayName"),
        (#"{"displayName": 42}"#, "displayName"),
        (#"{"displayName": "ok", "settings": {"conversationRetentionSeconds": -1}}"#, "settings.conversationRetentionSeconds"),
        (#"{"displayName": "ok", "settings": {"useAnimalNames": "yes"}}"#, "settings.useAnimalNames"),
        (#"{"displayName": "ok", "settings": {"endSessionEnabled": true}}"#, "settings.endSessionEnabled"),
        (#"{"displayName": "ok", "metadata": {"nested": {"a": 1}}}"#, "metadata.nested"),
        (#"{"displayName": "ok", "settings": null}"#, "settings"),
        (#"{"displayName": "ok", "settings": {"echoPostback": null}}"#, "settings.echoPostback"),
        (#"{"displayName": "ok", "metadata": {"big": "\#(String(repeating: "x", count: 4100))"}}"#, "metadata"),
    ])
    func createAppValidation(body: String, field: String) async throws {
        try await TestServer.run { api in
            let response = try await api.call(.post, "/v2/apps", body: body)
            #expect(response.status == 400)
            #expect(response.errorCode == "bad_request")
            #expect(response.errorTitle.contains(field), "\(response.errorTitle)")
        }
    }

    @Test("GetApp, UpdateApp and DeleteApp; 404 app_not_found afterwards")
    func lifecycle() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp("Before")
            let updated = try await api.patch(
                "/v2/apps/\(appId)", ["displayName": "After", "settings": ["multiConvoEnabled": true], "metadata": ["k": "v"]])
            #expect(updated.status == 200)
            #expect(updated.object["app"]?["displayName"] as? String == "After")

            // A second PATCH leaves what it does not name alone and merges settings.
            let second = try await api.patch("/v2/apps/\(appId)", ["settings": ["echoPostback": true]])
            let settings = second.object["app"]?["settings"] as? [String: Any]
            #expect(settings?["multiConvoEnabled"] as? Bool == true)
            #expect(settings?["echoPostback"] as? Bool == true)
            #expect(second.object["app"]?["metadata"] as? [String: String] == ["k": "v"])

            let fetched = try await api.get("/v2/apps/\(appId)")
            #expect(fetched.object["app"]?["displayName"] as? String == "After")

            // multiConvoEnabled is irreversible; displayName cannot be nulled.
            #expect(try await api.patch("/v2/apps/\(appId)", ["settings": ["multiConvoEnabled": false]]).status == 400)
            #expect(try await api.patch("/v2/apps/\(appId)", ["displayName": NSNull()]).status == 400)
            // metadata: null clears it.
            let cleared = try await api.patch("/v2/apps/\(appId)", ["metadata": NSNull()])
            #expect(cleared.object["app"]?["metadata"] == nil)

            #expect(try await api.delete("/v2/apps/\(appId)").status == 200)
            #expect(try await api.delete("/v2/apps/\(appId)").text.contains("app_not_found"))
            for response in [try await api.get("/v2/apps/\(appId)"), try await api.patch("/v2/apps/\(appId)", ["displayName": "x"])] {
                #expect(response.status == 404)
                #expect(response.errorCode == "app_not_found")
            }
        }
    }

    @Test("Deleting an app deletes its users and keys")
    func deleteCascades() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            _ = try await api.createUser(appId: appId, ["externalId": "alice"])
            let key = try await api.createAppKey(appId: appId)
            #expect(try await api.delete("/v2/apps/\(appId)").status == 200)
            #expect(try await api.as_(key).get("/v2/apps/\(appId)/users/alice").status == 401)
            // A new app can reuse the externalId: nothing of the old one is left behind.
            let newAppId = try await api.createApp()
            #expect(try await api.createUser(appId: newAppId, ["externalId": "alice"])["externalId"] as? String == "alice")
        }
    }

    @Test("ListApps with filter[serviceAccountId] is 403: Parley has no service accounts")
    func serviceAccountFilter() async throws {
        try await TestServer.run { api in
            let response = try await api.get("/v2/apps?filter[serviceAccountId]=abc")
            #expect(response.status == 403)
            #expect(response.errorCode == "forbidden")
        }
    }
}
