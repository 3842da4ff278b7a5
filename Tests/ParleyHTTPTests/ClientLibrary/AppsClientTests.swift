import Foundation
import ParleyClient
import Testing

extension ClientLibraryTests {
    @Suite("Client library: apps and app keys")
    struct AppsClientTests {
        @Test("CreateApp, GetApp, UpdateApp (settings merged, metadata replaced then removed), DeleteApp, then 404 app_not_found")
        func lifecycle() async throws {
            try await ClientLibrary.run { client, _ in
                let created = try await client.apps.create(
                    AppCreate(displayName: "Channel 5", settings: AppSettings(maskCreditCardNumbers: true), metadata: ["tier": "gold", "seats": 3]))
                #expect(created.id.count == 24)
                #expect(created.displayName == "Channel 5")
                #expect(created.settings?.maskCreditCardNumbers == true)
                #expect(created.metadata == ["tier": "gold", "seats": 3])

                let fetched = try await client.apps.get(appId: created.id)
                #expect(fetched == created)

                let updated = try await client.apps.update(
                    appId: created.id, AppUpdate(displayName: "Channel 6", settings: AppSettings(echoPostback: true), metadata: ["tier": "silver"]))
                #expect(updated.displayName == "Channel 6")
                #expect(updated.settings?.maskCreditCardNumbers == true)
                #expect(updated.settings?.echoPostback == true)
                #expect(updated.metadata == ["tier": "silver"])
                let cleared = try await client.apps.update(appId: created.id, AppUpdate(metadata: .null))
                #expect(cleared.metadata == nil || cleared.metadata == [:])
                #expect(cleared.displayName == "Channel 6")

                try await client.apps.delete(appId: created.id)
                let error = await ClientLibrary.error { _ = try await client.apps.get(appId: created.id) }
                #expect(error?.isNotFound == true)
                #expect(error?.status == 404)
                #expect(error?.code == "app_not_found")
            }
        }

        @Test("ListApps walks 25 apps in pages of 10: three pages, every app once, in creation order")
        func pagination() async throws {
            try await ClientLibrary.run { client, _ in
                var ids: [String] = []
                for index in 0..<25 { ids.append(try await client.apps.create(AppCreate(displayName: "App \(index)")).id) }

                let walked = try await client.apps.list(page: PageQuery(size: 10)).collect()
                #expect(walked.map(\.id) == ids)

                var sizes: [Int] = []
                for try await page in client.apps.list(page: PageQuery(size: 10)).pages { sizes.append(page.items.count) }
                #expect(sizes == [10, 10, 5])

                let first = try await client.apps.listPage(page: PageQuery(size: 10))
                #expect(first.hasMore)
                #expect(first.afterCursor == ids[9])
                #expect(first.nextLink?.contains("page") == true)
                let last = try await client.apps.listPage(page: PageQuery(after: ids[19], size: 10))
                #expect(last.items.map(\.id) == Array(ids[20...]))
                #expect(!last.hasMore && last.afterCursor == nil)
                #expect(last.beforeCursor == ids[20])

                // An iterator fetches lazily: taking three apps costs one page.
                var taken: [String] = []
                for try await app in client.apps.list(page: PageQuery(size: 10)) {
                    taken.append(app.id)
                    if taken.count == 3 { break }
                }
                #expect(taken == Array(ids.prefix(3)))

                let invalid = await ClientLibrary.error { _ = try await client.apps.listPage(page: PageQuery(size: 101)) }
                #expect(invalid?.status == 400 && invalid?.code == "bad_request")
            }
        }

        @Test("App keys: create (secret shown), list, get, delete; the key authenticates until deleted")
        func appKeys() async throws {
            try await ClientLibrary.run { client, api in
                let app = try await client.apps.create(AppCreate(displayName: "Keys"))
                let key = try await client.appKeys.create(appId: app.id, displayName: "deploy bot")
                #expect(key.id.hasPrefix("app_"))
                #expect(key.displayName == "deploy bot")
                #expect((key.secret ?? "").count >= 32)
                #expect(try await client.appKeys.list(appId: app.id).map(\.id) == [key.id])
                #expect(try await client.appKeys.get(appId: app.id, keyId: key.id).id == key.id)

                let asApp = try ClientLibrary.client(api, ClientLibrary.basic(key))
                #expect(try await asApp.apps.get(appId: app.id).displayName == "Keys")
                // An app key may not do account-only operations.
                let forbidden = await ClientLibrary.error { _ = try await asApp.apps.create(AppCreate(displayName: "No")) }
                #expect(forbidden?.isForbidden == true && forbidden?.code == "forbidden")

                try await client.appKeys.delete(appId: app.id, keyId: key.id)
                let gone = await ClientLibrary.error { _ = try await client.appKeys.get(appId: app.id, keyId: key.id) }
                #expect(gone?.isNotFound == true && gone?.code == "not_found")
                let revoked = await ClientLibrary.error { _ = try await asApp.apps.get(appId: app.id) }
                #expect(revoked?.isUnauthorized == true && revoked?.code == "unauthorized")
            }
        }
    }
}
