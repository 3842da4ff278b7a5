import Foundation
import ParleyClient
import Testing

extension ClientLibraryTests {
    @Suite("Client library: integrations, integration keys and webhooks")
    struct IntegrationsClientTests {
        @Test("CreateIntegration (mailgun; custom with its webhook), GetIntegration, UpdateIntegration, ListIntegrations by type, DeleteIntegration")
        func lifecycle() async throws {
            try await ClientLibrary.run { account, api in
                let (appId, key) = try await ClientLibrary.app(account)
                // An app key manages its app's integrations.
                let client = try ClientLibrary.client(api, ClientLibrary.basic(key))
                let mailgun = try await client.integrations.create(
                    appId: appId, .mailgun(apiKey: "key-123", domain: "mg.channel5.com", incomingAddress: "inbox@mg.channel5.com", displayName: "Email"))
                #expect(mailgun.type == .mailgun)
                #expect(mailgun.status == .active)
                #expect(mailgun.displayName == "Email")
                #expect(mailgun.domain == "mg.channel5.com" && mailgun.incomingAddress == "inbox@mg.channel5.com")
                #expect(mailgun.showAIDisclaimer == true)

                let custom = try await client.integrations.create(
                    appId: appId,
                    .custom(webhook: WebhookCreate(target: "https://example.com/hook", triggers: [.conversationMessage, .clientAdd], includeFullUser: true)))
                #expect(custom.type == .custom)
                let inline = try #require(custom.webhooks?.first)
                #expect(inline.target == "https://example.com/hook")
                #expect(inline.triggers == [.conversationMessage, .clientAdd])
                #expect(inline.includeFullUser == true && inline.version == "v2")
                #expect(inline.secret?.count == 32)

                #expect(try await client.integrations.get(appId: appId, integrationId: mailgun.id) == mailgun)
                var update = IntegrationUpdate(displayName: "Mail")
                update.fromAddress = "Support <support@channel5.com>"
                update.hideUnsubscribeLink = true
                let updated = try await client.integrations.update(appId: appId, integrationId: mailgun.id, update)
                #expect(updated.displayName == "Mail" && updated.fromAddress == "Support <support@channel5.com>" && updated.hideUnsubscribeLink == true)
                var clear = IntegrationUpdate()
                clear.fromAddress = .null
                #expect(try await client.integrations.update(appId: appId, integrationId: mailgun.id, clear).fromAddress == nil)
                var notUpdatable = IntegrationUpdate()
                notUpdatable.pageAccessToken = "x"
                let refused = await ClientLibrary.error { _ = try await client.integrations.update(appId: appId, integrationId: mailgun.id, notUpdatable) }
                #expect(refused?.status == 400)

                #expect(try await client.integrations.list(appId: appId).collect().map(\.id) == [mailgun.id, custom.id])
                #expect(try await client.integrations.list(appId: appId, types: [.custom]).collect().map(\.id) == [custom.id])
                let page = try await client.integrations.listPage(appId: appId, page: PageQuery(size: 1))
                #expect(page.items.map(\.id) == [mailgun.id] && page.hasMore)

                try await client.integrations.delete(appId: appId, integrationId: mailgun.id)
                let gone = await ClientLibrary.error { _ = try await client.integrations.get(appId: appId, integrationId: mailgun.id) }
                #expect(gone?.code == "integration_not_found")
            }
        }

        @Test("Custom integration keys: create, list, get, delete; the int_ key works with Basic and with a JWT of scope integration, and not on apps")
        func integrationKeys() async throws {
            try await ClientLibrary.run { client, api in
                let (appId, _) = try await ClientLibrary.app(client)
                let custom = try await client.integrations.create(
                    appId: appId, .custom(webhook: WebhookCreate(target: "https://example.com/hook", triggers: [.conversationMessage])))
                let key = try await client.integrationKeys.create(appId: appId, integrationId: custom.id, displayName: "bot")
                #expect(key.id.hasPrefix("int_") && key.displayName == "bot")
                let secret = try #require(key.secret)
                #expect(try await client.integrationKeys.list(appId: appId, integrationId: custom.id).map(\.id) == [key.id])
                #expect(try await client.integrationKeys.get(appId: appId, integrationId: custom.id, keyId: key.id).id == key.id)

                for credentials in [ParleyClient.Credentials.basic(keyId: key.id, secret: secret), .jwt(keyId: key.id, secret: secret, scope: .integration)] {
                    let bot = try ClientLibrary.client(api, credentials)
                    let user = try await bot.users.create(appId: appId, UserCreate(externalId: "via-\(credentials.authorizationHeader.prefix(6))"))
                    #expect(try await bot.users.get(appId: appId, user: user.id) == user)
                    let forbidden = await ClientLibrary.error { _ = try await bot.integrations.listPage(appId: appId) }
                    #expect(forbidden?.isForbidden == true)
                }

                let mailgun = try await client.integrations.create(appId: appId, .mailgun(apiKey: "k", domain: "d.com", incomingAddress: "in@d.com"))
                let onlyCustom = await ClientLibrary.error { _ = try await client.integrationKeys.create(appId: appId, integrationId: mailgun.id, displayName: "x") }
                #expect(onlyCustom?.status == 400)

                try await client.integrationKeys.delete(appId: appId, integrationId: custom.id, keyId: key.id)
                #expect(try await client.integrationKeys.list(appId: appId, integrationId: custom.id).isEmpty)
                let revoked = await ClientLibrary.error {
                    _ = try await ClientLibrary.client(api, .basic(keyId: key.id, secret: secret)).users.get(appId: appId, user: "anyone")
                }
                #expect(revoked?.isUnauthorized == true)
            }
        }

        @Test("Webhooks: create (secret shown), list, get, update, delete; an unknown trigger is 400, an unknown webhook 404 not_found")
        func webhooks() async throws {
            try await ClientLibrary.run { client, _ in
                let (appId, _) = try await ClientLibrary.app(client)
                let custom = try await client.integrations.create(
                    appId: appId, .custom(webhook: WebhookCreate(target: "https://example.com/first", triggers: [.conversationMessage])))
                let webhook = try await client.webhooks.create(
                    appId: appId, integrationId: custom.id,
                    WebhookCreate(target: "https://example.com/second", triggers: [.userUpdate, .switchboardPassControl], includeFullSource: true))
                #expect(webhook.target == "https://example.com/second")
                #expect(webhook.triggers == [.userUpdate, .switchboardPassControl])
                #expect(webhook.includeFullSource == true && webhook.includeFullUser == false)
                #expect(webhook.secret?.count == 32)

                let listed = try await client.webhooks.list(appId: appId, integrationId: custom.id)
                #expect(listed.count == 2 && listed.contains(webhook))
                #expect(try await client.webhooks.get(appId: appId, integrationId: custom.id, webhookId: webhook.id) == webhook)

                let updated = try await client.webhooks.update(
                    appId: appId, integrationId: custom.id, webhookId: webhook.id, WebhookUpdate(triggers: ["conversation:read"], includeFullUser: true))
                #expect(updated.triggers == [.conversationRead] && updated.includeFullUser == true)
                #expect(updated.secret == webhook.secret && updated.target == webhook.target)

                let unknown = await ClientLibrary.error {
                    _ = try await client.webhooks.create(appId: appId, integrationId: custom.id, WebhookCreate(target: "https://example.com", triggers: ["nope"]))
                }
                #expect(unknown?.status == 400)
                try await client.webhooks.delete(appId: appId, integrationId: custom.id, webhookId: webhook.id)
                let gone = await ClientLibrary.error { _ = try await client.webhooks.get(appId: appId, integrationId: custom.id, webhookId: webhook.id) }
                #expect(gone?.code == "not_found")
            }
        }
    }
}
