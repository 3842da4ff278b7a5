import Foundation
import Testing

/// PostConversionEvents, DownloadMessageRef and SyncUser, as docs/DECISIONS.md "Channel-specific
/// operations" decides them: the first forwarded to Meta for a Messenger user, the other two
/// answered with why they cannot apply here.
@Suite("Channel-specific operations")
struct ChannelOperationsTests {
    typealias M = MessengerTests

    static func events(_ name: String = "Purchase") -> [String: Any] {
        ["data": [["event_name": name, "event_time": 1_790_000_000, "custom_data": ["currency": "USD", "value": 42.5]]], "test_event_code": "TEST123"]
    }

    @Test("PostConversionEvents sends a Messenger user's events to the page's dataset, made on first use, naming the user by PSID")
    func messengerConversionEvents() async throws {
        try await M.withPage { fixture in
            let conversationId = try await M.conversation(fixture)
            let path = "/v2/apps/\(fixture.appId)/conversations/\(conversationId)/conversionEvents"
            let answered = try await fixture.api.post(path, ["messenger": ["payload": Self.events()]])
            #expect(answered.status == 200, "\(answered.text)")
            #expect(answered.object["conversionEvents"]?["datasetId"] as? String == FakeGraph.datasetId)
            #expect(answered.object["conversionEvents"]?["eventsReceived"] as? Int == 1)

            let sent = try #require(fixture.graph.calls.last { $0.path == "\(FakeGraph.datasetId)/events" })
            #expect(sent.body["test_event_code"] as? String == "TEST123")
            let event = try #require((sent.body["data"] as? [[String: Any]])?.first)
            #expect(event["event_name"] as? String == "Purchase")
            #expect(event["messaging_channel"] as? String == "messenger")
            #expect(event["action_source"] as? String == "business_messaging")
            #expect(event["user_data"] as? [String: String] == ["page_id": FakeGraph.pageId, "page_scoped_user_id": M.psid])
            #expect((event["custom_data"] as? [String: Any])?["currency"] as? String == "USD")
            #expect(fixture.graph.calls.filter { $0.path == "\(FakeGraph.pageId)/dataset" }.count == 1)

            // The dataset is found, not made, the second time; the caller's user_data is replaced.
            var forged = Self.events("Lead")
            forged["data"] = [["event_name": "Lead", "event_time": 1_790_000_001, "user_data": ["page_scoped_user_id": "someone-else"]]]
            #expect(try await fixture.api.post(path, ["messenger": ["payload": forged]]).status == 200)
            #expect(fixture.graph.calls.filter { $0.path == "\(FakeGraph.pageId)/dataset" }.count == 1)
            let second = try #require((fixture.graph.calls.last { $0.path == "\(FakeGraph.datasetId)/events" }?.body["data"] as? [[String: Any]])?.first)
            #expect((second["user_data"] as? [String: String])?["page_scoped_user_id"] == M.psid)

            // No WhatsApp user in this conversation; Instagram is not Messenger.
            let whatsapp = try await fixture.api.post(path, ["whatsapp": ["payload": Self.events()]])
            #expect(whatsapp.status == 400 && whatsapp.text.contains("whatsapp client"), "\(whatsapp.text)")
            let instagram = try await fixture.api.post(path, ["instagram": ["payload": Self.events()]])
            #expect(instagram.status == 400, "\(instagram.text)")
        }
    }

    @Test("PostConversionEvents checks its body and its conversation first")
    func conversionEventsRefusals() async throws {
        try await TestServer.run { (api: APIClient) async throws in
            let appId = try await api.createApp()
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "web-only")
            let path = "/v2/apps/\(appId)/conversations/\(conversationId)/conversionEvents"
            #expect(try await api.post(path, [String: Any]()).status == 400)
            #expect(try await api.post(path, ["messenger": ["payload": Self.events()], "whatsapp": ["payload": Self.events()]]).status == 400)
            #expect(try await api.post(path, ["messenger": ["payload": ["data": [Any]()]]]).status == 400)
            #expect(try await api.post(path, ["messenger": ["payload": ["data": ["not an event"]]]]).status == 400)
            let noClient = try await api.post(path, ["messenger": ["payload": Self.events()]])
            #expect(noClient.status == 400 && noClient.text.contains("messenger client"))
            let missing = try await api.post("/v2/apps/\(appId)/conversations/0123456789abcdef01234567/conversionEvents", ["messenger": ["payload": Self.events()]])
            #expect(missing.status == 404 && missing.errorCode == "conversation_not_found")
        }
    }

    @Test("DownloadMessageRef: 404 for an unknown conversation or user, else 400 saying Parley has no Apple channel")
    func downloadMessageRef() async throws {
        try await TestServer.run { (api: APIClient) async throws in
            let appId = try await api.createApp()
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "ann")
            let reference: [String: Any] = ["interactiveDataRef": ["url": "https://p61-content.icloud.com/x", "bid": "b", "key": "00c0", "signature": "81a6", "owner": "M58C"]]
            let path = "/v2/apps/\(appId)/conversations/\(conversationId)/download"
            let answered = try await api.post(path, ["userId": "ann", "apple": reference])
            #expect(answered.status == 400 && answered.errorCode == "bad_request")
            #expect(answered.text.contains("Apple Messages for Business"))
            #expect(try await api.post(path, ["userId": "nobody", "apple": reference]).errorCode == "user_not_found")
            #expect(try await api.post("/v2/apps/\(appId)/conversations/0123456789abcdef01234567/download", ["userId": "ann"]).errorCode == "conversation_not_found")
            #expect(try await api.post(path, ["apple": reference]).status == 400)
            #expect(try await api.post(path, ["userId": "ann", "apple": ["interactiveDataRef": ["url": "u"]]]).status == 400)
        }
    }

    @Test("SyncUser: 404 user_not_found, since no Parley user has a zendeskId; its body is still checked")
    func syncUser() async throws {
        try await TestServer.run { (api: APIClient) async throws in
            let appId = try await api.createApp()
            _ = try await api.createUser(appId: appId, ["externalId": "35436"])
            let answered = try await api.call(.post, "/v2/apps/\(appId)/users/35436/sync")
            #expect(answered.status == 404 && answered.errorCode == "user_not_found")
            #expect(answered.text.contains("Zendesk"))
            #expect(try await api.post("/v2/apps/\(appId)/users/35436/sync", ["survivingZendeskId": "99"]).status == 404)
            #expect(try await api.post("/v2/apps/\(appId)/users/35436/sync", ["survivingZendeskId": 99]).status == 400)
        }
    }
}
