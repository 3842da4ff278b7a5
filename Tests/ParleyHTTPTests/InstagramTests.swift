import Foundation
import ParleyDomain
import Testing

/// Instagram Direct as a channel: the Messenger Platform's webhook (object `instagram`) and Send
/// API, with Instagram's fields, story toggles and attachments, against `FakeGraph`.
@Suite("Instagram")
struct InstagramTests {
    typealias M = MessengerTests

    @Test("Creation fills the business account's fields from Graph; the handshake answers with the verify token")
    func creation() async throws {
        try await M.withPage("instagram") { fixture in
            let integration = fixture.integration
            #expect(integration["pageId"] as? String == FakeGraph.pageId)
            #expect(integration["businessId"] as? String == FakeGraph.businessId)
            #expect(integration["businessUsername"] as? String == "channel5" && integration["businessName"] as? String == "Channel 5 Shop")
            #expect(integration["storyRepliesEnabled"] as? Bool == true && integration["storyMentionsEnabled"] as? Bool == true)
            // Graph was asked for the page's Instagram business account.
            #expect(fixture.graph.calls.contains { $0.path == "\(FakeGraph.pageId)/subscribed_apps" })
            let token = try #require(integration["webhookVerifyToken"] as? String)
            let answered = try await M.handshake(fixture, token: token, challenge: "42")
            #expect(answered.status == 200 && answered.text == "42")
            #expect(try await M.handshake(fixture, token: "wrong").status == 403)
        }
    }

    @Test("Messages come in signed under object instagram; a page notification is not Instagram's; stories follow their toggles")
    func inbound() async throws {
        try await M.withPage("instagram") { fixture in
            let hello = M.text("Hi shop", mid: "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx")
            #expect(try await M.deliver(fixture, [hello], signature: .some(nil)).status == 401)
            #expect(try await M.deliver(fixture, [hello], signature: M.signature("x", secret: "other")).status == 401)
            #expect(try await M.deliver(fixture, [hello], object: "page").json["result"] as? String == "ignored")
            let received = try await M.deliver(fixture, [hello])
            let outcome = try #require((received.json["results"] as? [[String: Any]])?.first, "\(received.text)")
            let conversationId = try #require(outcome["conversationId"] as? String)
            #expect((try await M.deliver(fixture, [hello]).json["results"] as? [[String: Any]])?.first?["result"] as? String == "duplicate")
            let message = try #require(try await M.messages(fixture, conversationId).first)
            #expect((message["source"] as? [String: Any])?["type"] as? String == "instagram")

            // A story mention is a referral; a story reply a message, until the toggles say no.
            let storyURL = fixture.graph.addFile("story.jpg", [1, 2, 3], type: "image/jpeg")
            let mention = M.event(["message": ["mid": "m_mention", "attachments": [["type": "story_mention", "payload": ["url": storyURL]]]]])
            #expect((try await M.deliver(fixture, [mention]).json["results"] as? [[String: Any]])?.first?["result"] as? String == "signalled")
            let reply = M.event(["message": ["mid": "m_story_reply", "text": "Love it", "reply_to": ["story": ["url": storyURL, "id": "1789"]]]])
            #expect((try await M.deliver(fixture, [reply]).json["results"] as? [[String: Any]])?.first?["result"] as? String == "stored")
            let path = "/v2/apps/\(fixture.appId)/integrations/\(fixture.integrationId)"
            #expect(try await fixture.api.patch(path, ["storyRepliesEnabled": false, "storyMentionsEnabled": false]).status == 200)
            var laterReply = reply
            laterReply["message"] = ["mid": "m_story_reply_2", "text": "Again", "reply_to": ["story": ["url": storyURL, "id": "1790"]]]
            var laterMention = mention
            laterMention["message"] = ["mid": "m_mention_2", "attachments": [["type": "story_mention", "payload": ["url": storyURL]]]]
            let skipped = try await M.deliver(fixture, [laterReply, laterMention]).json["results"] as? [[String: Any]]
            #expect(skipped?.map { $0["result"] as? String } == ["ignored", "ignored"])
            try await M.waitForEvents(fixture, "conversation:referral", count: 1)
            try await fixture.api.server.settle()
            let referrals = fixture.inbox.events("hook").filter { $0["type"] as? String == "conversation:referral" }
            #expect(referrals.count == 1)
            #expect(((referrals.first?["payload"] as? [String: Any])?["referral"] as? [String: Any])?["code"] as? String == "story_mention")
            #expect(try await M.messages(fixture, conversationId).count == 2)
        }
    }

    @Test("Instagram's Send API bodies: text, quick replies, image, a document as a link, video, carousel; reads and postbacks come back")
    func outbound() async throws {
        try await M.withPage("instagram") { fixture in
            let conversationId = try await M.conversation(fixture)
            let sent = try await M.send(fixture, conversationId, [
                (["content": ["type": "text", "text": "Which one?", "actions": [["type": "reply", "text": "Red", "payload": "RED"]]]], 1),
                (["content": ["type": "image", "mediaUrl": "https://cdn.example.com/red.png"]], 1),
                (["content": ["type": "file", "mediaUrl": "https://cdn.example.com/terms.pdf", "text": "Our terms"]], 1),
                (["content": ["type": "carousel", "items": [
                    ["title": "Red", "mediaUrl": "https://cdn.example.com/red.png", "actions": [["type": "postback", "text": "Pick", "payload": "PICK_RED"]]],
                ]]], 1),
                (["content": ["type": "text", "text": "Agent here"], "override": ["messenger": ["payload": ["messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"]]]], 1),
            ])
            #expect(sent.map(\.count) == [1, 1, 1, 1, 1])
            guard sent.map(\.count) == [1, 1, 1, 1, 1] else { return }
            #expect((sent[0][0].message["quick_replies"] as? [[String: Any]])?.first?["payload"] as? String == "RED")
            #expect((sent[1][0].message["attachment"] as? [String: Any])?["type"] as? String == "image")
            // Instagram takes no documents: the link goes in the text.
            #expect(sent[2][0].message["text"] as? String == "Our terms\nhttps://cdn.example.com/terms.pdf")
            #expect(sent[3][0].attachmentPayload["template_type"] as? String == "generic")
            #expect(sent[4][0].body["tag"] as? String == "HUMAN_AGENT")

            let results = try await M.deliver(fixture, [
                M.event(["read": ["mid": "m_seen"]]),
                M.event(["postback": ["mid": "m_pick", "title": "Pick", "payload": "PICK_RED"]]),
            ]).json["results"] as? [[String: Any]]
            #expect(results?.map { $0["result"] as? String } == ["signalled", "signalled"])
            try await M.waitForEvents(fixture, "conversation:message:delivery:channel", count: 5)
            try await M.waitForEvents(fixture, "conversation:postback", count: 1)
            #expect(fixture.events.contains("conversation:read"))
        }
    }
}
