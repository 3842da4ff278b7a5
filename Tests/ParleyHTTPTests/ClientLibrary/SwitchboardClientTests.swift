import Foundation
import ParleyClient
import Testing

extension ClientLibraryTests {
    @Suite("Client library: switchboards")
    struct SwitchboardClientTests {
        @Test("Switchboards, switchboard integrations and control: pass, offer, accept, release, as the conversation shows it")
        func switchboard() async throws {
            try await ClientLibrary.run { client, _ in
                let (appId, _) = try await ClientLibrary.app(client)
                let bot = try await client.integrations.create(appId: appId, .custom(webhook: WebhookCreate(target: "https://example.com/bot", triggers: [])))
                let agents = try await client.integrations.create(appId: appId, .custom(webhook: WebhookCreate(target: "https://example.com/agents", triggers: [])))

                let board = try await client.switchboards.create(appId: appId)
                #expect(board.enabled == false)
                #expect(try await client.switchboards.list(appId: appId) == [board])
                let second = await ClientLibrary.error { _ = try await client.switchboards.create(appId: appId) }
                #expect(second?.status == 400)

                let botOnBoard = try await client.switchboardIntegrations.create(
                    appId: appId, switchboardId: board.id, SwitchboardIntegrationCreate(name: "bot", integrationId: bot.id, deliverStandbyEvents: false))
                #expect(botOnBoard.name == "bot" && botOnBoard.integrationId == bot.id && botOnBoard.integrationType == "custom")
                #expect(botOnBoard.deliverStandbyEvents == false)
                let agentsOnBoard = try await client.switchboardIntegrations.create(
                    appId: appId, switchboardId: board.id, SwitchboardIntegrationCreate(name: "agents", integrationId: agents.id, messageHistoryCount: 5))
                #expect(agentsOnBoard.deliverStandbyEvents == true && agentsOnBoard.messageHistoryCount == 5)
                let linked = try await client.switchboardIntegrations.update(
                    appId: appId, switchboardId: board.id, switchboardIntegrationId: botOnBoard.id,
                    SwitchboardIntegrationUpdate(nextSwitchboardIntegrationId: .value(agentsOnBoard.id)))
                #expect(linked.nextSwitchboardIntegrationId == agentsOnBoard.id)
                #expect(try await client.switchboardIntegrations.list(appId: appId, switchboardId: board.id).map(\.id) == [botOnBoard.id, agentsOnBoard.id])

                let noDefault = await ClientLibrary.error { _ = try await client.switchboards.update(appId: appId, switchboardId: board.id, SwitchboardUpdate(enabled: true)) }
                #expect(noDefault?.status == 400)
                let enabled = try await client.switchboards.update(
                    appId: appId, switchboardId: board.id, SwitchboardUpdate(enabled: true, defaultSwitchboardIntegrationId: botOnBoard.id))
                #expect(enabled.enabled == true && enabled.defaultSwitchboardIntegrationId == botOnBoard.id)

                let user = try await client.users.create(appId: appId, UserCreate(externalId: "steve"))
                let conversation = try await client.conversations.create(appId: appId, .personal(.userId(user.id)))
                #expect(conversation.activeSwitchboardIntegration?.name == "bot")
                func state() async throws -> (active: String?, pending: String?) {
                    let current = try await client.conversations.get(appId: appId, conversationId: conversation.id)
                    return (current.activeSwitchboardIntegration?.name, current.pendingSwitchboardIntegration?.name)
                }

                try await client.switchboardActions.passControl(appId: appId, conversationId: conversation.id, to: "next", metadata: ["reason": "escalate"])
                #expect(try await state() == ("agents", nil))
                try await client.switchboardActions.offerControl(appId: appId, conversationId: conversation.id, to: botOnBoard.id)
                #expect(try await state() == ("agents", "bot"))
                try await client.switchboardActions.acceptControl(appId: appId, conversationId: conversation.id, metadata: ["by": "bot"])
                #expect(try await state() == ("bot", nil))
                try await client.switchboardActions.releaseControl(appId: appId, conversationId: conversation.id)
                #expect(try await state() == (nil, nil))
                let unknown = await ClientLibrary.error {
                    try await client.switchboardActions.passControl(appId: appId, conversationId: "0123456789abcdef01234567", to: "bot")
                }
                #expect(unknown?.code == "conversation_not_found")

                // The default cannot go; the others can, then the switchboard.
                let isDefault = await ClientLibrary.error {
                    try await client.switchboardIntegrations.delete(appId: appId, switchboardId: board.id, switchboardIntegrationId: botOnBoard.id)
                }
                #expect(isDefault?.status == 400)
                _ = try await client.switchboardIntegrations.update(
                    appId: appId, switchboardId: board.id, switchboardIntegrationId: botOnBoard.id, SwitchboardIntegrationUpdate(nextSwitchboardIntegrationId: .null))
                try await client.switchboardIntegrations.delete(appId: appId, switchboardId: board.id, switchboardIntegrationId: agentsOnBoard.id)
                #expect(try await client.switchboardIntegrations.list(appId: appId, switchboardId: board.id).map(\.id) == [botOnBoard.id])
                try await client.switchboards.delete(appId: appId, switchboardId: board.id)
                #expect(try await client.switchboards.list(appId: appId).isEmpty)
                let gone = await ClientLibrary.error {
                    _ = try await client.switchboardIntegrations.list(appId: appId, switchboardId: board.id)
                }
                #expect(gone?.code == "switchboard_not_found")
            }
        }
    }
}
