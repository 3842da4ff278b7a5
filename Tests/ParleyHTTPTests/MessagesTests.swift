import Foundation
import Testing

@Suite("Messages")
struct MessagesTests {
    static let link = #"{"type": "link", "text": "Open", "uri": "https://example.com"}"#
    static let postback = #"{"type": "postback", "text": "Go", "payload": "GO"}"#
    static let item = #"{"title": "Item", "actions": [\#(postback)]}"#

    /// Every valid content type, with what the server must add or keep.
    @Test("Each content type is accepted and normalised", arguments: [
        (#"{"type": "text", "text": "Hello", "actions": [\#(link), \#(postback), {"type": "buy", "text": "Buy", "amount": 500, "currency": "USD"}, {"type": "locationRequest", "text": "Where?"}, {"type": "reply", "text": "Yes", "payload": "Y", "iconUrl": "https://example.com/y.png"}, {"type": "webview", "text": "Form", "uri": "https://example.com/f", "fallback": "https://example.com", "size": "tall", "openOnReceive": true}]}"#, "\"currency\":\"usd\""),
        (#"{"type": "text", "markdownText": "**bold**"}"#, "\"htmlText\":\"<p><strong>bold</strong></p>\""),
        (#"{"type": "text", "markdownText": "**bold** & co"}"#, "\"text\":\"bold & co\""),
        (#"{"type": "text", "htmlText": "<h1>Hi</h1><p>there</p>"}"#, "\"text\":\"Hi\\nthere\""),
        (#"{"type": "form", "fields": [{"type": "text", "name": "n", "label": "Age", "format": "integer"}]}"#, "\"format\":\"integer\""),
        (#"{"type": "text", "text": "t", "actions": [{"type": "buy", "text": "", "amount": 0}]}"#, "\"amount\":0"),
        (#"{"type": "text", "text": "x", "htmlText": "<b>x</b>", "blockChatInput": true}"#, "\"htmlText\":\"<b>x</b>\""),
        (#"{"type": "image", "mediaUrl": "https://example.com/a.png", "altText": "A", "mediaSize": 9, "actions": [\#(link)]}"#, "\"mediaUrl\":\"https://example.com/a.png\""),
        (#"{"type": "file", "mediaUrl": "https://example.com/a.pdf", "text": "Report"}"#, "\"type\":\"file\""),
        (#"{"type": "carousel", "items": [\#(item), {"title": "Two", "description": "d", "mediaUrl": "https://example.com/2.png", "size": "large", "actions": [\#(link)]}], "displaySettings": {"imageAspectRatio": "square"}}"#, "\"text\":\"1. Item\\n\\n2. Two\\nd\\nOpen: https://example.com\""),
        (#"{"type": "list", "items": [\#(item)], "actions": [\#(postback)]}"#, "\"type\":\"list\""),
        (#"{"type": "location", "coordinates": {"lat": 45.5017, "long": -73.5673}, "location": {"address": "Montreal", "name": "Office"}}"#, "maps.google.com/maps?q=45.5017,-73.5673"),
        (#"{"type": "form", "fields": [{"type": "text", "name": "n", "label": "Name"}, {"type": "select", "name": "s", "label": "Pick", "options": [{"label": "A", "name": "a"}]}]}"#, "\"maxSize\":128"),
        (#"{"type": "template", "template": {"name": "hello_world", "language": {"policy": "deterministic", "code": "en_US"}}}"#, "hello_world"),
    ])
    func validContent(content: String, expected: String) async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "c")
            let schema = content.contains("template") ? #", "schema": "whatsapp""# : ""
            let response = try await api.call(
                .post, "/v2/apps/\(appId)/conversations/\(conversationId)/messages",
                body: #"{"author": {"type": "business", "displayName": "Bot", "avatarUrl": "https://example.com/b.png"}, "content": \#(content)\#(schema), "metadata": {"lang": "en"}}"#)
            #expect(response.status == 201, "\(response.text)")
            #expect(response.text.contains(expected), "\(response.text)")
            let message = try #require(response.list("messages").first)
            #expect((message["id"] as? String)?.count == 24)
            #expect((message["source"] as? [String: String])?["type"] == "api:conversations")
            #expect((message["metadata"] as? [String: String]) == ["lang": "en"])
            #expect(!response.text.contains("markdownText") && !response.text.contains("mediaSize"))
            // What was answered is what is stored.
            let listed = try await api.get("/v2/apps/\(appId)/conversations/\(conversationId)/messages")
            #expect(listed.list("messages").last?["id"] as? String == message["id"] as? String)
            #expect(listed.text.contains(expected))
        }
    }

    /// One case per rule; the 400's title must name the field.
    @Test("Invalid content and actions are 400 naming the field", arguments: [
        (#"{"type": "video"}"#, "content.type"),
        (#"{"text": "no type"}"#, "content.type"),
        (#"{"type": "text"}"#, "content.text"),
        (#"{"type": "text", "text": "\#(String(repeating: "a", count: 4097))"}"#, "content.text"),
        (#"{"type": "text", "htmlText": "<b>x</b>", "markdownText": "x"}"#, "content.markdownText"),
        (#"{"type": "text", "markdownText": "\#(String(repeating: "*a* ", count: 1000))"}"#, "content.markdownText"),
        (#"{"type": "text", "text": 5}"#, "content.text"),
        (#"{"type": "image"}"#, "content.mediaUrl"),
        (#"{"type": "image", "mediaUrl": "not a url"}"#, "content.mediaUrl"),
        (#"{"type": "image", "mediaUrl": "https://e.com/a.png", "altText": "\#(String(repeating: "a", count: 129))"}"#, "content.altText"),
        (#"{"type": "carousel", "items": []}"#, "content.items"),
        (#"{"type": "carousel", "items": [\#(Array(repeating: item, count: 11).joined(separator: ","))]}"#, "content.items"),
        (#"{"type": "carousel", "items": [{"actions": [\#(postback)]}]}"#, "content.items[0].title"),
        (#"{"type": "carousel", "items": [{"title": "\#(String(repeating: "a", count: 129))", "actions": [\#(postback)]}]}"#, "content.items[0].title"),
        (#"{"type": "carousel", "items": [{"title": "t", "actions": []}]}"#, "content.items[0].actions"),
        (#"{"type": "carousel", "items": [{"title": "t", "actions": [\#(postback), \#(postback), \#(postback), \#(postback)]}]}"#, "content.items[0].actions"),
        (#"{"type": "carousel", "items": [{"title": "t", "actions": [{"type": "reply", "text": "r", "payload": "p"}]}]}"#, "content.items[0].actions[0].type"),
        (#"{"type": "carousel", "items": [{"title": "t", "size": "huge", "actions": [\#(postback)]}]}"#, "content.items[0].size"),
        (#"{"type": "carousel", "items": [\#(item)], "displaySettings": {"imageAspectRatio": "round"}}"#, "content.displaySettings.imageAspectRatio"),
        (#"{"type": "list", "items": [\#(item)], "actions": []}"#, "content.actions"),
        (#"{"type": "list", "items": [\#(item)], "actions": [{"type": "locationRequest", "text": "x"}]}"#, "content.actions[0].type"),
        (#"{"type": "location"}"#, "content.coordinates"),
        (#"{"type": "location", "coordinates": {"lat": 1}}"#, "content.coordinates.long"),
        (#"{"type": "location", "coordinates": {"lat": 91, "long": 0}}"#, "content.coordinates.lat"),
        (#"{"type": "form", "fields": []}"#, "content.fields"),
        (#"{"type": "form", "fields": [\#(Array(repeating: #"{"type": "text", "name": "n", "label": "l"}"#, count: 21).joined(separator: ","))]}"#, "content.fields"),
        (#"{"type": "form", "fields": [{"type": "date", "name": "n", "label": "l"}]}"#, "content.fields[0].type"),
        (#"{"type": "form", "fields": [{"type": "text", "label": "l"}]}"#, "content.fields[0].name"),
        (#"{"type": "form", "fields": [{"type": "text", "name": "n"}]}"#, "content.fields[0].label"),
        (#"{"type": "form", "fields": [{"type": "text", "name": "n", "label": "l"}, {"type": "email", "name": "n", "label": "m"}]}"#, "content.fields[1].name"),
        (#"{"type": "form", "fields": [{"type": "text", "name": "n", "label": "l", "maxSize": 300}]}"#, "content.fields[0].maxSize"),
        (#"{"type": "form", "fields": [{"type": "select", "name": "n", "label": "l"}]}"#, "content.fields[0].options"),
        (#"{"type": "formResponse", "fields": [{"type": "text", "name": "n", "label": "l", "text": "x"}]}"#, "formResponse"),
        (#"{"type": "template", "template": {"name": "x"}}"#, "schema"),
        (#"{"type": "text", "text": "t", "actions": [{"type": "buy", "text": "b"}]}"#, "content.actions[0].amount"),
        (#"{"type": "text", "text": "t", "actions": [{"type": "buy", "text": "b", "amount": 1.5}]}"#, "content.actions[0].amount"),
        (#"{"type": "text", "text": "t", "actions": [{"type": "buy", "text": "b", "amount": 1, "currency": "dollars"}]}"#, "content.actions[0].currency"),
        (#"{"type": "text", "text": "t", "actions": [{"type": "link", "text": "l"}]}"#, "content.actions[0].uri"),
        (#"{"type": "text", "text": "t", "actions": [{"type": "link", "uri": "https://e.com"}]}"#, "content.actions[0].text"),
        (#"{"type": "text", "text": "t", "actions": [{"type": "postback", "text": "p"}]}"#, "content.actions[0].payload"),
        (#"{"type": "text", "text": "t", "actions": [{"type": "reply", "text": "r"}]}"#, "content.actions[0].payload"),
        (#"{"type": "text", "text": "t", "actions": [{"type": "webview", "text": "w", "uri": "https://e.com"}]}"#, "content.actions[0].fallback"),
        (#"{"type": "text", "text": "t", "actions": [{"type": "webview", "text": "w", "uri": "https://e.com", "fallback": "https://e.com", "size": "wide"}]}"#, "content.actions[0].size"),
        (#"{"type": "text", "text": "t", "actions": [{"type": "webview", "text": "w", "uri": "https://e.com", "fallback": "https://e.com", "openOnReceive": true}, {"type": "webview", "text": "v", "uri": "https://e.com", "fallback": "https://e.com", "openOnReceive": true}]}"#, "openOnReceive"),
        (#"{"type": "text", "text": "t", "actions": [{"type": "teleport", "text": "x"}]}"#, "content.actions[0].type"),
        (#"{"type": "text", "text": "t", "actions": [{"type": "link", "text": "l", "uri": "https://e.com", "metadata": {"a": [1]}}]}"#, "content.actions[0].metadata.a"),
        (#"{"type": "location", "coordinates": {"lat": 0, "long": 0}, "location": {"address": "", "name": null}}"#, "content.location.name"),
        (#"{"type": "text", "text": "t", "htmlText": null}"#, "content.htmlText"),
        (#"{"type": "carousel", "items": [\#(item)], "displaySettings": {"imageAspectRatio": null}}"#, "content.displaySettings.imageAspectRatio"),
        (#"{"type": "form", "fields": [{"type": "email", "name": "e", "label": "E", "format": "AAA"}]}"#, "content.fields[0].format"),
        (#"{"type": "form", "fields": [{"type": "select", "name": "s", "label": "S", "options": [{"label": "A", "name": "a"}], "select": [1]}]}"#, "content.fields[0].select[0]"),
    ])
    func invalidContent(content: String, field: String) async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "c")
            let response = try await api.call(
                .post, "/v2/apps/\(appId)/conversations/\(conversationId)/messages",
                body: #"{"author": {"type": "business"}, "content": \#(content)}"#)
            #expect(response.status == 400, "\(response.text)")
            #expect(response.errorCode == "bad_request")
            #expect(response.errorTitle.contains(field), "\(response.errorTitle)")
        }
    }

    @Test("Author, destination, override and schema rules", arguments: [
        (#"{"content": {"type": "text", "text": "x"}}"#, 400, "author"),
        (#"{"author": {"type": "business"}}"#, 400, "content"),
        (#"{"author": {"type": "bot"}, "content": {"type": "text", "text": "x"}}"#, 400, "author.type"),
        (#"{"author": {"type": "user"}, "content": {"type": "text", "text": "x"}}"#, 400, "author.userId"),
        (#"{"author": {"type": "user", "userExternalId": "ghost"}, "content": {"type": "text", "text": "x"}}"#, 404, "User"),
        (#"{"author": {"type": "user", "userExternalId": "outsider"}, "content": {"type": "text", "text": "x"}}"#, 400, "participant"),
        (#"{"author": {"type": "business", "userExternalId": "member"}, "content": {"type": "text", "text": "x"}}"#, 400, "author.userId"),
        (#"{"author": {"type": "business", "subtypes": ["AI", "bot"]}, "content": {"type": "text", "text": "x"}}"#, 400, "author.subtypes"),
        (#"{"author": {"type": "business", "subtypes": ["human"]}, "content": {"type": "text", "text": "x"}}"#, 400, "author.subtypes"),
        (#"{"author": {"type": "business", "avatarUrl": "nope"}, "content": {"type": "text", "text": "x"}}"#, 400, "author.avatarUrl"),
        (#"{"author": {"type": "business"}, "content": {"type": "text", "text": "x"}, "destination": {}}"#, 400, "destination"),
        (#"{"author": {"type": "business"}, "content": {"type": "text", "text": "x"}, "destination": {"integrationId": "x", "integrationType": "none"}}"#, 400, "destination"),
        (#"{"author": {"type": "user", "userExternalId": "member"}, "content": {"type": "text", "text": "x"}, "destination": {"integrationType": "none"}}"#, 400, "destination"),
        (#"{"author": {"type": "business"}, "content": {"type": "text", "text": "x"}, "override": {"line": {"payload": "str"}}}"#, 400, "override.line.payload"),
        (#"{"author": {"type": "business"}, "content": {"type": "text", "text": "x"}, "override": {"apple": {"withCapabilities": ["FAX"]}}}"#, 400, "override.apple.withCapabilities[0]"),
        (#"{"author": {"type": "business", "displayName": null}, "content": {"type": "text", "text": "x"}}"#, 400, "author.displayName"),
        (#"{"author": {"type": "business"}, "content": {"type": "text", "text": "x"}, "override": null}"#, 400, "override"),
        (#"{"author": {"type": "business"}, "content": {"type": "text", "text": "x"}, "destination": null}"#, 400, "destination"),
        (#"{"author": {"type": "business"}, "content": {"type": "text", "text": "x"}, "schema": "apple"}"#, 400, "schema"),
        (#"{"author": {"type": "business"}, "content": {"type": "text", "text": "x"}, "schema": "whatsapp"}"#, 400, "schema"),
        (#"{"author": {"type": "business"}, "content": {"type": "text", "text": "x"}, "metadata": {"n": {"a": 1}}}"#, 400, "metadata.n"),
        (#"{"author": {"type": "business"}, "content": {"type": "text", "text": "x"}, "schema": null}"#, 400, "schema cannot be null"),
        (#"{"author": {"type": "business"}, "content": {"type": "text", "text": "x"}, "schema": 5}"#, 400, "schema must be a string"),
        (#"{"author": null, "content": {"type": "text", "text": "x"}}"#, 400, "author is required"),
        (#"[{"author": {"type": "business"}}]"#, 400, "must be a JSON object"),
        (#"{"author": {"type": "business"}, "content": {"type": "text", "text": "x"}"#, 400, "not valid JSON"),
        (#"{"author": {"type": "business"}, "content": {"type": "text", "text": "\ud800"}}"#, 400, "not valid JSON"),
    ])
    func envelopeRules(body: String, status: Int, field: String) async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "member")
            _ = try await api.createUser(appId: appId, ["externalId": "outsider"])
            let response = try await api.call(.post, "/v2/apps/\(appId)/conversations/\(conversationId)/messages", body: body)
            #expect(response.status == status, "\(response.text)")
            #expect(response.errorTitle.contains(field), "\(response.errorTitle)")
        }
    }

    /// The request parser declines what plain JSON does not allow and leaves it to Foundation's
    /// reading, which accepted these before it existed: they must keep working.
    @Test("Bodies only Foundation reads still post: a trailing comma, a repeated key (the first wins), a huge whole number")
    func lenientBodies() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "c")
            let path = "/v2/apps/\(appId)/conversations/\(conversationId)/messages"
            let trailing = try await api.call(.post, path, body: #"{"author": {"type": "business"}, "content": {"type": "text", "text": "a"},}"#)
            #expect(trailing.status == 201, "\(trailing.text)")
            let repeated = try await api.call(
                .post, path, body: #"{"author": {"type": "business"}, "content": {"type": "text", "text": "first"}, "content": {"type": "text", "text": "second"}}"#)
            #expect(repeated.status == 201, "\(repeated.text)")
            #expect(repeated.text.contains(#""text":"first""#), "\(repeated.text)")
            let huge = try await api.call(
                .post, path, body: #"{"author": {"type": "business"}, "content": {"type": "text", "text": "n"}, "metadata": {"n": 1e300}}"#)
            #expect(huge.status == 201, "\(huge.text)")
            #expect(huge.text.contains(#""n":1e+300"#), "\(huge.text)")
        }
    }

    @Test("A user author by userExternalId is stored with its userId; destination and override are accepted")
    func authors() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "writer")
            let userId = try #require(try await api.get("/v2/apps/\(appId)/users/writer").object["user"]?["id"] as? String)
            let byUser = try await api.postText(appId: appId, conversationId: conversationId, "hi", author: ["type": "user", "userExternalId": "writer"])
            #expect(byUser.status == 201)
            #expect((byUser.list("messages").first?["author"] as? [String: Any])?["userId"] as? String == userId)
            let withDestination = try await api.post(
                "/v2/apps/\(appId)/conversations/\(conversationId)/messages",
                ["author": ["type": "business", "subtypes": ["AI"], "avatarUrl": NSNull(), "brandId": NSNull()], "content": ["type": "text", "text": "x"],
                 "destination": ["integrationType": "none"], "override": ["whatsapp": ["payload": ["type": "text"]]]])
            #expect(withDestination.status == 201, "\(withDestination.text)")
            #expect((withDestination.list("messages").first?["author"] as? [String: Any])?["subtypes"] as? [String] == ["AI"])
        }
    }

    @Test("ListMessages pages backwards from the newest 100 over 250 messages, and forwards again")
    func pagination() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "pager")
            var posted: [String] = []
            for index in 0..<250 {
                let response = try await api.postText(appId: appId, conversationId: conversationId, "message \(index)")
                posted.append(try #require(response.list("messages").first?["id"] as? String))
            }
            let base = "/v2/apps/\(appId)/conversations/\(conversationId)/messages"
            var collected: [String] = []
            var path = "\(base)?page[size]=10"  // ignored: pages are always 100
            var pages: [Int] = []
            while true {
                let response = try await api.get(path)
                let ids = response.list("messages").compactMap { $0["id"] as? String }
                pages.append(ids.count)
                collected = ids + collected
                let meta = try #require(response.object["meta"])
                guard meta["hasMore"] as? Bool == true else { break }
                let before = try #require(meta["beforeCursor"] as? String)
                #expect(before == ids.first)
                #expect(response.object["links"]?["prev"] as? String == "http://parley.test\(base)?page[before]=\(before)")
                path = "\(base)?page[before]=\(before)"
            }
            #expect(pages == [100, 100, 50])
            #expect(collected == posted)

            // Forwards from the oldest.
            var forwards: [String] = []
            var after = posted[0]
            forwards.append(after)
            while true {
                let response = try await api.get("\(base)?page%5Bafter%5D=\(after)")
                let ids = response.list("messages").compactMap { $0["id"] as? String }
                forwards += ids
                guard response.object["meta"]?["hasMore"] as? Bool == true else { break }
                after = try #require(response.object["meta"]?["afterCursor"] as? String)
            }
            #expect(forwards == posted)
        }
    }

    @Test("Unread counts and lastRead follow messages and reads for two participants; lastUpdatedAt moves")
    func unreadCounts() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            _ = try await api.createUser(appId: appId, ["externalId": "a"])
            _ = try await api.createUser(appId: appId, ["externalId": "b"])
            let created = try await api.post(
                "/v2/apps/\(appId)/conversations", ["type": "sdkGroup", "participants": [["userExternalId": "a"], ["userExternalId": "b"]]])
            let conversationId = try #require(created.object["conversation"]?["id"] as? String)
            let base = "/v2/apps/\(appId)/conversations/\(conversationId)"
            func unread() async throws -> [String: Int] {
                let participants = try await api.get("\(base)/participants").list("participants")
                return Dictionary(uniqueKeysWithValues: participants.map { ($0["userExternalId"] as! String, $0["unreadCount"] as! Int) })
            }
            _ = try await api.postText(appId: appId, conversationId: conversationId, "one")
            _ = try await api.postText(appId: appId, conversationId: conversationId, "two")
            #expect(try await unread() == ["a": 2, "b": 2])
            _ = try await api.postText(appId: appId, conversationId: conversationId, "from a", author: ["type": "user", "userExternalId": "a"])
            #expect(try await unread() == ["a": 0, "b": 3])

            let read = try await api.post("\(base)/activity", ["author": ["type": "user", "userExternalId": "b"], "type": "conversation:read"])
            #expect(read.status == 200)
            #expect(read.text == "{}")
            #expect(try await unread() == ["a": 0, "b": 0])
            let participants = try await api.get("\(base)/participants").list("participants")
            #expect(participants.allSatisfy { ($0["lastRead"] as? String)?.hasSuffix("Z") == true })

            let conversation = try await api.get(base).object["conversation"]
            #expect(conversation?["lastUpdatedAt"] as? String != conversation?["createdAt"] as? String)
            #expect(conversation?["businessLastRead"] == nil)
        }
    }

    @Test("Activity: business reads set businessLastRead; typing is accepted; users may only read")
    func activity() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "reader")
            let base = "/v2/apps/\(appId)/conversations/\(conversationId)"
            for type in ["typing:start", "typing:stop"] {
                #expect(try await api.post("\(base)/activity", ["author": ["type": "business"], "type": type]).status == 200)
                let refused = try await api.post("\(base)/activity", ["author": ["type": "user", "userExternalId": "reader"], "type": type])
                #expect(refused.status == 400)
            }
            #expect(try await api.post("\(base)/activity", ["author": ["type": "business"], "type": "conversation:seen"]).status == 400)
            #expect(try await api.post("\(base)/activity", ["type": "conversation:read"]).status == 400)
            #expect(try await api.post("\(base)/activity", ["author": ["type": "business"], "type": "conversation:read"]).status == 200)
            let lastRead = try await api.get(base).object["conversation"]?["businessLastRead"] as? String
            #expect(lastRead?.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression) != nil)
        }
    }

    @Test("DeleteMessage removes one, DeleteAllMessages empties the conversation and frees the cap")
    func deleteAndCap() async throws {
        try await TestServer.run(messageLimit: 5) { api in
            let appId = try await api.createApp()
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "capped")
            let base = "/v2/apps/\(appId)/conversations/\(conversationId)/messages"
            var ids: [String] = []
            for index in 0..<5 {
                ids.append(try #require(try await api.postText(appId: appId, conversationId: conversationId, "m\(index)").list("messages").first?["id"] as? String))
            }
            let locked = try await api.postText(appId: appId, conversationId: conversationId, "one too many")
            #expect(locked.status == 423)
            #expect(locked.errorCode == "locked")

            #expect(try await api.delete("\(base)/\(ids[2])").status == 200)
            let gone = try await api.delete("\(base)/\(ids[2])")
            #expect(gone.status == 404)
            #expect(try await api.get(base).list("messages").compactMap { $0["id"] as? String } == [ids[0], ids[1], ids[3], ids[4]])
            #expect(try await api.postText(appId: appId, conversationId: conversationId, "fits again").status == 201)

            #expect(try await api.delete(base).status == 200)
            #expect(try await api.get(base).list("messages").isEmpty)
            for index in 0..<5 {
                #expect(try await api.postText(appId: appId, conversationId: conversationId, "n\(index)").status == 201)
            }
            // The default conversation's messages can be deleted even though it cannot.
            #expect(try await api.delete(base).status == 200)
        }
    }

    @Test("Concurrent posts to one conversation: none lost, none duplicated, the cap never overshot")
    func concurrency() async throws {
        try await TestServer.run(messageLimit: 60) { api in
            let appId = try await api.createApp()
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "busy")
            let results = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for index in 0..<80 {
                    group.addTask {
                        let response = try await api.postText(appId: appId, conversationId: conversationId, "m\(index)")
                        return (response.status, response.list("messages").first?["id"] as? String)
                    }
                }
                return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
            }
            let accepted = results.filter { $0.0 == 201 }.compactMap(\.1)
            #expect(accepted.count == 60)
            #expect(results.filter { $0.0 == 423 }.count == 20)
            let listed = try await api.get("/v2/apps/\(appId)/conversations/\(conversationId)/messages").list("messages").compactMap { $0["id"] as? String }
            #expect(Set(listed) == Set(accepted))
            #expect(listed.count == 60)
            #expect(listed == listed.sorted())
        }
    }
}
