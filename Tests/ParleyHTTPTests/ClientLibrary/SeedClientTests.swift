import Foundation
import ParleyClient
import ParleySeedExample
import Testing

extension ClientLibraryTests {
    /// The seed example's own code (`SeedExample`, what `parley-seed-example` runs) against a live
    /// Parley whose Mailgun is a `FakeMailgun`.
    @Suite("Client library: clients and the seed example")
    struct SeedClientTests {
        /// The seed body of the task, with ids substituted, as JSON.
        static func seedJSON(integrationId: String, conversationId: String) -> [String: Any] {
            [
                "matchCriteria": [
                    "type": "mailgun", "integrationId": integrationId, "primary": true, "address": "steveb@channel5.com",
                    "subject": "New message from {appName}",
                ],
                "confirmation": [
                    "type": "immediate",
                    "message": [
                        "author": ["type": "business", "displayName": "Steve", "avatarUrl": "https://www.gravatar.com/image.jpg"],
                        "content": ["type": "text", "text": "Hello!"], "metadata": ["lang": "en-ca"],
                    ],
                ],
                "target": ["conversationId": conversationId],
            ]
        }

        @Test("The example's CreateClient body is exactly the seed")
        func seedBody() throws {
            let encoded = try JSONEncoder().encode(SeedExample.body(integrationId: "int1", conversationId: "conv1"))
            let sent = try #require(try JSONSerialization.jsonObject(with: encoded) as? NSDictionary)
            #expect(sent == Self.seedJSON(integrationId: "int1", conversationId: "conv1") as NSDictionary)
        }

        @Test("The seed example links steveb@channel5.com: pending, then Mailgun gets the email and the client turns active; ListClients and RemoveClient")
        func seed() async throws {
            let mailgun = FakeMailgun()
            try await mailgun.start()
            defer { mailgun.stop() }
            try await TestServer.run(mailgunBaseURL: mailgun.url, channelPolicy: TestServer.fastChannelPolicy, live: true) { api in
                let account = try ClientLibrary.client(api)
                let (appId, key) = try await ClientLibrary.app(account, "Channel 5")
                let client = try ClientLibrary.client(api, ClientLibrary.basic(key))
                let integration = try await client.integrations.create(
                    appId: appId, .mailgun(apiKey: mailgun.apiKey, domain: "mg.channel5.com", incomingAddress: "inbox@mg.channel5.com"))
                let user = try await client.users.create(appId: appId, UserCreate(externalId: "steve"))
                let conversation = try await client.conversations.create(appId: appId, .personal(.userExternalId("steve")))

                let created = try await SeedExample.run(
                    client: client, appId: appId, integrationId: integration.id, user: "steve", conversationId: conversation.id)
                #expect(created.type == .mailgun)
                #expect(created.status == .pending)
                #expect(created.integrationId == integration.id)
                #expect(created.externalId == "steveb@channel5.com")

                try await mailgun.wait {
                    try await client.clients.list(appId: appId, user: user.id).collect().first { $0.id == created.id }?.status == .active
                }
                #expect(mailgun.emails.count == 1)
                let email = try #require(mailgun.emails.first)
                #expect(email.fields["to"] == "steveb@channel5.com")
                #expect(email.fields["subject"] == "New message from Channel 5")
                #expect(email.fields["text"] == "Hello!")

                let listed = try await client.clients.listPage(appId: appId, user: "steve")
                let active = try #require(listed.items.first)
                #expect(active.linkedAt != nil && !listed.hasMore)
                let participant = try #require(try await client.participants.listPage(appId: appId, conversationId: conversation.id).items.first)
                #expect(participant.clientAssociations?.first?.clientId == created.id)
                #expect(participant.clientAssociations?.first?.type == .mailgun)

                try await client.clients.remove(appId: appId, user: "steve", clientId: created.id)
                #expect(try await client.clients.list(appId: appId, user: "steve").collect().isEmpty)
                let again = await ClientLibrary.error { try await client.clients.remove(appId: appId, user: "steve", clientId: created.id) }
                #expect(again?.code == "client_not_found")
            }
        }

        @Test("CreateClient's errors are typed: an unknown integration is 404 integration_not_found, a number without + is 400")
        func createClientErrors() async throws {
            try await ClientLibrary.run { client, _ in
                let (appId, _) = try await ClientLibrary.app(client)
                _ = try await client.users.create(appId: appId, UserCreate(externalId: "steve"))
                let conversation = try await client.conversations.create(appId: appId, .personal(.userExternalId("steve")))
                let unknown = await ClientLibrary.error {
                    _ = try await SeedExample.run(
                        client: client, appId: appId, integrationId: "0123456789abcdef01234567", user: "steve", conversationId: conversation.id)
                }
                #expect(unknown?.code == "integration_not_found")
                let twilio = try await client.integrations.create(appId: appId, .twilio(accountSid: "AC1", authToken: "t", phoneNumberSid: "PN1"))
                let noPlus = await ClientLibrary.error {
                    _ = try await client.clients.create(
                        appId: appId, user: "steve",
                        ClientCreate(
                            matchCriteria: .twilio(integrationId: twilio.id, phoneNumber: "212 555 2368"), confirmation: ClientConfirmation(type: .immediate),
                            target: ClientTarget(conversationId: conversation.id)))
                }
                #expect(noPlus?.status == 400)
            }
        }
    }
}
