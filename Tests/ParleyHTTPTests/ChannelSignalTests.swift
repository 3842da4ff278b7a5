import Foundation
import ParleyDomain
import ParleyServer
import Synchronization
import Testing

/// What channels report besides messages (`ChannelSignal`): a postback chosen, a referral, typing
/// and reads become their conversation events, through `InboundService` as every channel's
/// inbound reader calls it, rendered as the spec's `x-webhooks` show them.
@Suite("Channel signals: postbacks, referrals, typing and reads")
struct ChannelSignalTests {
    @Test("A stranger's postback, then referral, typing and read: one event each, with the channel as source and the user in full")
    func signals() async throws {
        let path = TestServer.temporaryDatabasePath()
        let ids = Mutex<(app: String, integration: String)>(("", ""))
        try await TestServer.run(databasePath: path) { api in
            let appId = try await api.createApp()
            let twilio = try await api.post("/v2/apps/\(appId)/integrations", [
                "type": "twilio", "accountSid": "ACa1b4c65ee0722712fab89867cb14eac7", "authToken": "160c024303f53049e1e060fd67ca6aefc",
                "phoneNumberSid": "PN0674df0ecee0c9819bca0ff0bc0a159e",
            ])
            let integrationId = try #require(twilio.object["integration"]?["id"] as? String)
            let triggers = ["conversation:postback", "conversation:referral", "conversation:typing", "conversation:read", "conversation:message"]
            #expect(try await api.post("/v2/apps/\(appId)/integrations", [
                "type": "custom", "webhooks": [["target": "http://127.0.0.1:9/hook", "triggers": triggers, "includeFullUser": true]],
            ]).status == 201)
            ids.withLock { $0 = (appId, integrationId) }
        }
        let (appText, integrationText) = ids.withLock { $0 }
        let appId = try #require(ResourceID(appText))
        let integrationId = try #require(ResourceID(integrationText))
        let events = try await ParleyServices.open(TestServer.configuration(databasePath: path)).startUp { services in
            func inbound(_ text: String, _ signal: ChannelSignal?) -> InboundMessage {
                InboundMessage(appId: appId, integrationId: integrationId, channel: "twilio", sender: "+12125552368", text: text, signal: signal)
            }
            let outcomes = [
                try await services.domain.inbound.receive(inbound("", .postback(payload: "BUY_RAMEN", metadata: try Metadata.validated(["size": .string("L")])))),
                try await services.domain.inbound.receive(inbound("", .referral(code: "spring-ad", details: .object(["campaign": .string("ramen")])))),
                try await services.domain.inbound.receive(inbound("", .typing(started: true))),
                try await services.domain.inbound.receive(inbound("Ramen please", .typing(started: false))),
                try await services.domain.inbound.receive(inbound("", .read)),
            ]
            #expect(outcomes.prefix(3).allSatisfy { $0 == .signalled })
            guard case .stored = outcomes[3] else { throw FixtureError("the text with a signal is stored too: \(outcomes[3])") }
            return try await services.store.dueBatches(now: Timestamp(millisecondsSince1970: 1 << 50), batchSize: 100, limit: 10).first?.events ?? []
        }
        #expect(events.map(\.type) == [
            .conversationPostback, .conversationReferral, .conversationTyping, .conversationTyping, .conversationMessage, .conversationRead,
        ])
        func object(_ value: JSONValue?) -> [String: JSONValue] {
            if case .object(let fields)? = value { return fields }
            return [:]
        }
        let source: JSONValue = .object(["type": .string("twilio"), "integrationId": .string(integrationId.rawValue)])
        let postback = object(events[0].payload)
        #expect(postback["postback"] == .object(["payload": .string("BUY_RAMEN"), "metadata": .object(["size": .string("L")])]))
        #expect(postback["source"] == source)
        #expect(object(postback["user"])["id"] != nil)
        #expect(object(postback["conversation"])["type"] == .string("personal"))
        let referral = object(events[1].payload)
        #expect(referral["referral"] == .object(["code": .string("spring-ad"), "details": .object(["campaign": .string("ramen")])]))
        #expect(referral["source"] == source)
        let typing = object(object(events[2].payload)["activity"])
        #expect(typing["type"] == .string("typing:start"))
        #expect(typing["source"] == source)
        #expect(object(typing["author"])["type"] == .string("user"))
        #expect(object(object(events[3].payload)["activity"])["type"] == .string("typing:stop"))
        #expect(object(object(events[5].payload)["activity"])["type"] == .string("conversation:read"))
        // All in the one conversation the stranger's first signal opened.
        #expect(Set(events.map(\.conversationId)).count == 1)
    }
}
