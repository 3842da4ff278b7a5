import Foundation
import ParleyClient
import Testing

extension ClientLibraryTests {
    @Suite("Client library: messages and activity")
    struct MessagesClientTests {
        static func conversation(_ client: SunshineClient) async throws -> (appId: String, conversationId: String, userId: String) {
            let (appId, _) = try await ClientLibrary.app(client)
            let user = try await client.users.create(appId: appId, UserCreate(externalId: "steve"))
            let conversation = try await client.conversations.create(appId: appId, .personal(.userId(user.id)))
            return (appId, conversation.id, user.id)
        }

        @Test("Every content type the API takes is posted and read back typed: text with actions, image, file, carousel, list, location, form, template")
        func contentTypes() async throws {
            try await ClientLibrary.run { client, _ in
                let (appId, conversationId, _) = try await Self.conversation(client)
                let business = Author.business(displayName: "Steve", avatarUrl: "https://www.gravatar.com/image.jpg")
                let item = MessageItem(title: "Tea", description: "Green", mediaUrl: "https://example.com/tea.png", actions: [.postback("Buy", payload: "TEA")])
                let contents: [MessageContent] = [
                    .text(TextContent(text: "Hello!", actions: [.link("Site", uri: "https://example.com"), .reply("Yes", payload: "YES"), .buy("Pay", amount: 500, currency: "usd")])),
                    .image(ImageContent(mediaUrl: "https://example.com/a.png", altText: "a picture", text: "Look")),
                    .file(FileContent(mediaUrl: "https://example.com/a.pdf", text: "The file")),
                    .carousel(CarouselContent(items: [item, MessageItem(title: "Coffee", actions: [.link("More", uri: "https://example.com/coffee")])])),
                    .list(ListContent(items: [item], actions: [.postback("All", payload: "ALL")])),
                    .location(LocationContent(coordinates: Coordinates(lat: 45.5, long: -73.6), location: LocationInfo(address: "1 Main St", name: "Office"))),
                    .form(FormContent(fields: [
                        FormField(type: .text, name: "name", label: "Your name", placeholder: "Ana"),
                        FormField(type: .select, name: "size", label: "Size", options: [FormOption(label: "Small", name: "s"), FormOption(label: "Large", name: "l")]),
                    ])),
                ]
                for content in contents {
                    let posted = try await client.messages.post(
                        appId: appId, conversationId: conversationId, MessagePost(author: business, content: content, metadata: ["lang": "en-ca"]))
                    let message = try #require(posted.first)
                    #expect(message.content?.type == content.type)
                    #expect(message.author?.type == .business && message.author?.displayName == "Steve")
                    #expect(message.source?.type == "api:conversations")
                    #expect(message.metadata == ["lang": "en-ca"])
                    #expect(message.received != nil)
                }
                let template = try await client.messages.post(
                    appId: appId, conversationId: conversationId,
                    MessagePost(author: .business(), content: .template(TemplateContent(template: ["name": "welcome", "language": ["code": "en"]])), schema: "whatsapp"))
                #expect(template.first?.content?.type == "template")

                let listed = try await client.messages.listPage(appId: appId, conversationId: conversationId)
                #expect(listed.items.count == 8)
                guard case .text(let text) = listed.items[0].content else { Issue.record("not text"); return }
                #expect(text.text == "Hello!")
                #expect(text.actions?.map(\.type) == [.link, .reply, .buy])
                #expect(text.actions?[0].uri == "https://example.com")
                #expect(text.actions?[2].amount == 500)
                guard case .image(let image) = listed.items[1].content else { Issue.record("not image"); return }
                #expect(image.mediaUrl == "https://example.com/a.png" && image.altText == "a picture")
                guard case .carousel(let carousel) = listed.items[3].content else { Issue.record("not carousel"); return }
                #expect(carousel.items.map(\.title) == ["Tea", "Coffee"])
                #expect(carousel.text?.contains("1. Tea") == true)
                guard case .location(let location) = listed.items[5].content else { Issue.record("not location"); return }
                #expect(location.coordinates == Coordinates(lat: 45.5, long: -73.6))
                #expect(location.text?.hasPrefix("Location shared:") == true)
                guard case .form(let form) = listed.items[6].content else { Issue.record("not form"); return }
                #expect(form.submitted == false)
                #expect(form.fields.map(\.name) == ["name", "size"])
                #expect(form.fields[0].maxSize == 128)
                guard case .template(let sent) = listed.items[7].content else { Issue.record("not template"); return }
                #expect(sent.template["name"] == "welcome")
            }
        }

        @Test("A user author by externalId; a 400 names the field; formResponse is refused")
        func authorsAndRefusals() async throws {
            try await ClientLibrary.run { client, _ in
                let (appId, conversationId, userId) = try await Self.conversation(client)
                let posted = try await client.messages.post(
                    appId: appId, conversationId: conversationId, MessagePost(author: .user(externalId: "steve"), content: .text("Hi from Steve")))
                #expect(posted.first?.author?.type == .user && posted.first?.author?.userId == userId)
                #expect(posted.first?.content?.text == "Hi from Steve")

                let tooLong = await ClientLibrary.error {
                    _ = try await client.messages.post(
                        appId: appId, conversationId: conversationId, MessagePost(author: .business(), content: .text(String(repeating: "x", count: 4097))))
                }
                #expect(tooLong?.status == 400 && tooLong?.title?.contains("content.text") == true)
                let formResponse = await ClientLibrary.error {
                    _ = try await client.messages.post(
                        appId: appId, conversationId: conversationId,
                        MessagePost(author: .business(), content: .formResponse(FormResponseContent(fields: [FormField(type: .text, name: "a", label: "A")]))))
                }
                #expect(formResponse?.status == 400)
            }
        }

        @Test("ListMessages walks 230 messages backwards, newest first, in pages of 100; DeleteMessage and DeleteAllMessages")
        func paginationAndDeletion() async throws {
            try await ClientLibrary.run { client, _ in
                let (appId, conversationId, _) = try await Self.conversation(client)
                var ids: [String] = []
                for index in 0..<230 {
                    let posted = try await client.messages.post(appId: appId, conversationId: conversationId, MessagePost(author: .business(), content: .text("m\(index)")))
                    ids.append(try #require(posted.first?.id))
                }
                let newest = try await client.messages.listPage(appId: appId, conversationId: conversationId)
                #expect(newest.items.map(\.id) == Array(ids[130...]))
                #expect(newest.hasMore && newest.beforeCursor == ids[130])

                var sizes: [Int] = []
                for try await page in client.messages.list(appId: appId, conversationId: conversationId).pages { sizes.append(page.items.count) }
                #expect(sizes == [100, 100, 30])
                let all = try await client.messages.list(appId: appId, conversationId: conversationId).collect()
                #expect(all.map(\.id) == ids.reversed())
                #expect(all.first?.content?.text == "m229")

                try await client.messages.delete(appId: appId, conversationId: conversationId, messageId: ids[229])
                let latest = try await client.messages.listPage(appId: appId, conversationId: conversationId)
                #expect(latest.items.last?.id == ids[228])
                let again = await ClientLibrary.error { try await client.messages.delete(appId: appId, conversationId: conversationId, messageId: ids[229]) }
                #expect(again?.isNotFound == true)

                try await client.messages.deleteAll(appId: appId, conversationId: conversationId)
                #expect(try await client.messages.list(appId: appId, conversationId: conversationId).collect().isEmpty)
            }
        }

        @Test("PostActivity: the user's read resets their unread count; a user may not send typing")
        func activity() async throws {
            try await ClientLibrary.run { client, _ in
                let (appId, conversationId, userId) = try await Self.conversation(client)
                _ = try await client.messages.post(appId: appId, conversationId: conversationId, MessagePost(author: .business(), content: .text("One")))
                _ = try await client.messages.post(appId: appId, conversationId: conversationId, MessagePost(author: .business(), content: .text("Two")))
                #expect(try await client.participants.listPage(appId: appId, conversationId: conversationId).items.first?.unreadCount == 2)

                try await client.activity.post(appId: appId, conversationId: conversationId, ActivityPost(author: .user(id: userId), type: .conversationRead))
                let participant = try #require(try await client.participants.listPage(appId: appId, conversationId: conversationId).items.first)
                #expect(participant.unreadCount == 0)
                #expect(participant.lastRead != nil)
                try await client.activity.post(appId: appId, conversationId: conversationId, ActivityPost(author: .business(), type: .typingStart))
                try await client.activity.post(appId: appId, conversationId: conversationId, ActivityPost(author: .business(), type: .conversationRead))
                #expect(try await client.conversations.get(appId: appId, conversationId: conversationId).businessLastRead != nil)
                let refused = await ClientLibrary.error {
                    try await client.activity.post(appId: appId, conversationId: conversationId, ActivityPost(author: .user(id: userId), type: .typingStart))
                }
                #expect(refused?.status == 400)
            }
        }
    }
}
