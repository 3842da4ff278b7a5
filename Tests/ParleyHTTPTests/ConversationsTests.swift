import Foundation
import Testing

@Suite("Conversations and participants")
struct ConversationsTests {
    @Test("CreateConversation: personal with one participant is the user's default; the second is not")
    func createPersonal() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let user = try await api.createUser(appId: appId, ["externalId": "ann"])
            let first = try await api.post(
                "/v2/apps/\(appId)/conversations",
                ["type": "personal", "participants": [["userExternalId": "ann"]], "displayName": "Support", "description": "Help",
                 "iconUrl": "https://example.com/i.png", "metadata": ["k": "v"]])
            #expect(first.status == 201)
            let conversation = try #require(first.object["conversation"])
            #expect(conversation["type"] as? String == "personal")
            #expect(conversation["isDefault"] as? Bool == true)
            #expect(conversation["displayName"] as? String == "Support")
            #expect(conversation["description"] as? String == "Help")
            #expect(conversation["createdAt"] as? String == conversation["lastUpdatedAt"] as? String)
            let second = try await api.post("/v2/apps/\(appId)/conversations", ["type": "personal", "participants": [["userId": user["id"]!]]])
            #expect(second.object["conversation"]?["isDefault"] as? Bool == false)
        }
    }

    @Test("CreateConversation refuses bad bodies", arguments: [
        (#"{}"#, 400, "type"),
        (#"{"type": "group"}"#, 400, "type"),
        (#"{"type": "personal"}"#, 400, "participants"),
        (#"{"type": "personal", "participants": [{"userExternalId": "ann"}, {"userExternalId": "bob"}]}"#, 400, "participants"),
        (#"{"type": "personal", "participants": [{}]}"#, 400, "participants[0]"),
        (#"{"type": "personal", "participants": [{"userExternalId": "nobody"}]}"#, 404, "User"),
        (#"{"type": "sdkGroup", "displayName": ""}"#, 400, "displayName"),
        (#"{"type": "sdkGroup", "iconUrl": "nope"}"#, 400, "iconUrl"),
        (#"{"type": "sdkGroup", "metadata": {"a": {}}}"#, 400, "metadata.a"),
    ])
    func createValidation(body: String, status: Int, field: String) async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            _ = try await api.createUser(appId: appId, ["externalId": "ann"])
            _ = try await api.createUser(appId: appId, ["externalId": "bob"])
            let response = try await api.call(.post, "/v2/apps/\(appId)/conversations", body: body)
            #expect(response.status == status)
            #expect(response.errorTitle.contains(field), "\(response.errorTitle)")
            if status == 404 { #expect(response.errorCode == "user_not_found") }
        }
    }

    @Test("sdkGroup: up to 10 participants; join adds, leave removes by any reference; personal cannot be joined")
    func participants() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            var users: [[String: Any]] = []
            for index in 0..<11 { users.append(try await api.createUser(appId: appId, ["externalId": "u\(index)"])) }
            let tooMany = try await api.post(
                "/v2/apps/\(appId)/conversations", ["type": "sdkGroup", "participants": (0..<11).map { ["userExternalId": "u\($0)"] }])
            #expect(tooMany.status == 400)

            let created = try await api.post(
                "/v2/apps/\(appId)/conversations", ["type": "sdkGroup", "participants": (0..<9).map { ["userExternalId": "u\($0)"] }])
            let conversationId = try #require(created.object["conversation"]?["id"] as? String)
            #expect(created.object["conversation"]?["isDefault"] as? Bool == false)
            let base = "/v2/apps/\(appId)/conversations/\(conversationId)"

            let joined = try await api.post("\(base)/join", ["userId": users[9]["id"]!])
            #expect(joined.status == 201)
            #expect(joined.object["participant"]?["userExternalId"] as? String == "u9")
            #expect(joined.object["participant"]?["unreadCount"] as? Int == 0)
            #expect(try await api.post("\(base)/join", ["userExternalId": "u10"]).status == 400)
            #expect(try await api.post("\(base)/join", ["userExternalId": "u9"]).status == 409)

            let listed = try await api.get("\(base)/participants?page[size]=4")
            #expect(listed.list("participants").count == 4)
            #expect(listed.object["meta"]?["hasMore"] as? Bool == true)

            #expect(try await api.post("\(base)/leave", ["userExternalId": "u9"]).status == 200)
            #expect(try await api.post("\(base)/leave", ["userId": users[0]["id"]!]).status == 200)
            let participantId = try #require(try await api.get("\(base)/participants").list("participants").first?["id"] as? String)
            #expect(try await api.post("\(base)/leave", ["participantId": participantId]).status == 200)
            let gone = try await api.post("\(base)/leave", ["userExternalId": "u9"])
            #expect(gone.status == 404)
            #expect(gone.errorCode == "not_found")
            #expect(try await api.post("\(base)/leave", ["userId": "x", "participantId": "y"]).status == 400)
            #expect(try await api.get("\(base)/participants").list("participants").count == 7)

            let personal = try await api.createPersonalConversation(appId: appId, externalId: "solo")
            #expect(try await api.post("/v2/apps/\(appId)/conversations/\(personal)/join", ["userExternalId": "u10"]).status == 400)
        }
    }

    @Test("ListConversations needs exactly one user filter and pages by creation")
    func list() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let user = try await api.createUser(appId: appId, ["externalId": "lister"])
            var ids: [String] = []
            for _ in 0..<5 {
                let response = try await api.post("/v2/apps/\(appId)/conversations", ["type": "personal", "participants": [["userExternalId": "lister"]]])
                ids.append(try #require(response.object["conversation"]?["id"] as? String))
            }
            _ = try await api.createPersonalConversation(appId: appId, externalId: "other")
            #expect(try await api.get("/v2/apps/\(appId)/conversations").status == 400)
            #expect(try await api.get("/v2/apps/\(appId)/conversations?filter[userId]=\(user["id"]!)&filter[userExternalId]=lister").status == 400)
            let missing = try await api.get("/v2/apps/\(appId)/conversations?filter[userExternalId]=nobody")
            #expect(missing.status == 404)
            #expect(missing.errorCode == "user_not_found")

            let page = try await api.get("/v2/apps/\(appId)/conversations?filter[userExternalId]=lister&page[size]=3")
            #expect(page.list("conversations").compactMap { $0["id"] as? String } == Array(ids[0..<3]))
            let next = try #require(page.object["links"]?["next"] as? String)
            #expect(next.contains("filter[userExternalId]=lister"))
            let rest = try await api.get("/v2/apps/\(appId)/conversations?filter%5BuserId%5D=\(user["id"]!)&page[after]=\(ids[2])&page[size]=3")
            #expect(rest.list("conversations").compactMap { $0["id"] as? String } == Array(ids[3..<5]))
        }
    }

    @Test("Get, Update and Delete; the default conversation cannot be deleted")
    func lifecycle() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let defaultId = try await api.createPersonalConversation(appId: appId, externalId: "dora")
            let group = try await api.post("/v2/apps/\(appId)/conversations", ["type": "sdkGroup", "displayName": "Team"])
            let groupId = try #require(group.object["conversation"]?["id"] as? String)

            let updated = try await api.patch(
                "/v2/apps/\(appId)/conversations/\(groupId)", ["displayName": "Renamed", "metadata": ["x": 1], "description": NSNull()])
            #expect(updated.status == 200)
            #expect(updated.object["conversation"]?["displayName"] as? String == "Renamed")
            #expect(try await api.get("/v2/apps/\(appId)/conversations/\(groupId)").object["conversation"]?["displayName"] as? String == "Renamed")
            #expect(try await api.patch("/v2/apps/\(appId)/conversations/\(groupId)", ["type": "personal"]).status == 400)

            let refused = try await api.delete("/v2/apps/\(appId)/conversations/\(defaultId)")
            #expect(refused.status == 400)
            #expect(refused.errorTitle.contains("default"))
            #expect(try await api.delete("/v2/apps/\(appId)/conversations/\(groupId)").status == 200)
            for response in [
                try await api.get("/v2/apps/\(appId)/conversations/\(groupId)"),
                try await api.delete("/v2/apps/\(appId)/conversations/\(groupId)"),
                try await api.get("/v2/apps/\(appId)/conversations/not-an-id"),
                try await api.postText(appId: appId, conversationId: groupId, "hello"),
            ] {
                #expect(response.status == 404)
                #expect(response.errorCode == "conversation_not_found")
            }
        }
    }

    @Test("A conversation of one app is invisible from another")
    func isolation() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let otherApp = try await api.createApp()
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "iso")
            #expect(try await api.get("/v2/apps/\(otherApp)/conversations/\(conversationId)").status == 404)
            #expect(try await api.postText(appId: otherApp, conversationId: conversationId, "x").status == 404)
        }
    }
}
