import Foundation
import ParleyClient
import Testing

extension ClientLibraryTests {
    @Suite("Client library: conversations and participants")
    struct ConversationsClientTests {
        @Test("CreateConversation, GetConversation, UpdateConversation (set and clear), DeleteConversation, then 404")
        func lifecycle() async throws {
            try await ClientLibrary.run { client, _ in
                let (appId, _) = try await ClientLibrary.app(client)
                let user = try await client.users.create(appId: appId, UserCreate(externalId: "steve"))
                let first = try await client.conversations.create(appId: appId, .personal(.userExternalId("steve"), displayName: "First"))
                #expect(first.type == .personal)
                #expect(first.isDefault == true)
                #expect(first.displayName == "First")
                #expect(first.createdAt != nil)

                let group = try await client.conversations.create(
                    appId: appId,
                    ConversationCreate(
                        type: .sdkGroup, participants: [.userId(user.id)], displayName: "Group", description: "About it",
                        iconUrl: "https://example.com/icon.png", metadata: ["lang": "en-ca"]))
                #expect(group.type == .sdkGroup && group.isDefault == false)
                #expect(group.description == "About it" && group.iconUrl == "https://example.com/icon.png")
                #expect(group.metadata == ["lang": "en-ca"])
                #expect(try await client.conversations.get(appId: appId, conversationId: group.id) == group)

                let updated = try await client.conversations.update(
                    appId: appId, conversationId: group.id, ConversationUpdate(displayName: "Renamed", description: .null))
                #expect(updated.displayName == "Renamed")
                #expect(updated.description == nil)
                #expect(updated.iconUrl == "https://example.com/icon.png")

                try await client.conversations.delete(appId: appId, conversationId: group.id)
                let gone = await ClientLibrary.error { _ = try await client.conversations.get(appId: appId, conversationId: group.id) }
                #expect(gone?.code == "conversation_not_found")
                // The default conversation cannot be deleted: a 400 with the reason.
                let refused = await ClientLibrary.error { try await client.conversations.delete(appId: appId, conversationId: first.id) }
                #expect(refused?.status == 400 && refused?.title?.contains("default") == true)
            }
        }

        @Test("ListConversations walks 25 conversations in pages of 10, by userId and by userExternalId")
        func pagination() async throws {
            try await ClientLibrary.run { client, _ in
                let (appId, _) = try await ClientLibrary.app(client)
                let user = try await client.users.create(appId: appId, UserCreate(externalId: "many"))
                var ids: [String] = []
                for index in 0..<25 {
                    ids.append(try await client.conversations.create(appId: appId, ConversationCreate(type: .sdkGroup, participants: [.userId(user.id)], displayName: "C\(index)")).id)
                }
                #expect(try await client.conversations.list(appId: appId, filter: .userId(user.id), page: PageQuery(size: 10)).collect().map(\.id) == ids)
                var pages = 0
                for try await page in client.conversations.list(appId: appId, filter: .userExternalId("many"), page: PageQuery(size: 10)).pages {
                    pages += 1
                    #expect(page.hasMore == (pages < 3))
                }
                #expect(pages == 3)
                let unknown = await ClientLibrary.error { _ = try await client.conversations.listPage(appId: appId, filter: .userExternalId("nobody")) }
                #expect(unknown?.code == "user_not_found")
            }
        }

        @Test("JoinConversation, ListParticipants, LeaveConversation by userExternalId and by participantId; leaving twice is 404 not_found")
        func participants() async throws {
            try await ClientLibrary.run { client, _ in
                let (appId, _) = try await ClientLibrary.app(client)
                let ana = try await client.users.create(appId: appId, UserCreate(externalId: "ana"))
                let bob = try await client.users.create(appId: appId, UserCreate(externalId: "bob"))
                let carl = try await client.users.create(appId: appId, UserCreate(externalId: "carl"))
                let group = try await client.conversations.create(appId: appId, ConversationCreate(type: .sdkGroup, participants: [.userId(ana.id)]))

                let joined = try await client.participants.join(appId: appId, conversationId: group.id, .userExternalId("bob"))
                #expect(joined.userId == bob.id)
                #expect(joined.unreadCount == 0)
                let carlJoined = try await client.participants.join(appId: appId, conversationId: group.id, .userId(carl.id))
                let twice = await ClientLibrary.error { _ = try await client.participants.join(appId: appId, conversationId: group.id, .userId(carl.id)) }
                #expect(twice?.isConflict == true)

                let listed = try await client.participants.list(appId: appId, conversationId: group.id, page: PageQuery(size: 2)).collect()
                #expect(listed.compactMap(\.userId) == [ana.id, bob.id, carl.id])
                let page = try await client.participants.listPage(appId: appId, conversationId: group.id, page: PageQuery(size: 2))
                #expect(page.items.count == 2 && page.hasMore)

                try await client.participants.leave(appId: appId, conversationId: group.id, .userExternalId("bob"))
                try await client.participants.leave(appId: appId, conversationId: group.id, .participantId(carlJoined.id))
                #expect(try await client.participants.list(appId: appId, conversationId: group.id).collect().compactMap(\.userId) == [ana.id])
                let notMember = await ClientLibrary.error { try await client.participants.leave(appId: appId, conversationId: group.id, .userId(bob.id)) }
                #expect(notMember?.status == 404 && notMember?.code == "not_found")
            }
        }
    }
}
