import Foundation
import ParleyClient
import Testing

extension ClientLibraryTests {
    @Suite("Client library: users and devices")
    struct UsersClientTests {
        @Test("CreateUser answers the fields sent; GetUser by id and by externalId; UpdateUser merges the profile and clears a field")
        func lifecycle() async throws {
            try await ClientLibrary.run { client, _ in
                let (appId, _) = try await ClientLibrary.app(client)
                let signedUp = try #require(ISO8601DateFormatter().date(from: "2026-01-02T03:04:05Z")).addingTimeInterval(0.678)
                let user = try await client.users.create(
                    appId: appId,
                    UserCreate(
                        externalId: "ana@example.com", signedUpAt: signedUp, toBeRetained: true,
                        profile: UserProfile(givenName: "Ana", surname: "Lima", email: "ana@example.com", locale: "pt-BR"),
                        metadata: ["plan": "pro", "seats": 4, "beta": true]))
                #expect(user.id.count == 24)
                #expect(user.externalId == "ana@example.com")
                #expect(user.signedUpAt == signedUp)
                #expect(user.toBeRetained == true)
                #expect(user.authenticated == true)
                #expect(user.profile == UserProfile(givenName: "Ana", surname: "Lima", email: "ana@example.com", locale: "pt-BR"))
                #expect(user.metadata == ["plan": "pro", "seats": 4, "beta": true])
                #expect(user.identities == [])

                // The externalId has an @: the path segment is percent-encoded.
                #expect(try await client.users.get(appId: appId, user: "ana@example.com") == user)
                #expect(try await client.users.get(appId: appId, user: user.id).id == user.id)

                let updated = try await client.users.update(
                    appId: appId, user: user.id, UserUpdate(profile: UserProfileUpdate(givenName: "Anna", email: .null), metadata: ["plan": "team"]))
                #expect(updated.profile?.givenName == "Anna")
                #expect(updated.profile?.surname == "Lima")
                #expect(updated.profile?.email == nil)
                #expect(updated.metadata == ["plan": "team"])
            }
        }

        @Test("A 404 decodes to the typed error: status, user_not_found, title; a duplicate externalId is 409 conflict")
        func errors() async throws {
            try await ClientLibrary.run { client, _ in
                let (appId, _) = try await ClientLibrary.app(client)
                let missing = await ClientLibrary.error { _ = try await client.users.get(appId: appId, user: "nobody") }
                guard case .api(let status, let errors) = missing else {
                    Issue.record("not an API error: \(String(describing: missing))")
                    return
                }
                #expect(status == 404)
                #expect(errors.first?.code == "user_not_found")
                #expect(missing?.isNotFound == true)
                #expect(missing?.title?.isEmpty == false)

                _ = try await client.users.create(appId: appId, UserCreate(externalId: "twice"))
                let duplicate = await ClientLibrary.error { _ = try await client.users.create(appId: appId, UserCreate(externalId: "twice")) }
                #expect(duplicate?.isConflict == true && duplicate?.code == "conflict")

                let badBody = await ClientLibrary.error {
                    _ = try await client.users.create(appId: appId, UserCreate(profile: UserProfile(email: "not an email")))
                }
                #expect(badBody?.status == 400 && badBody?.code == "bad_request")
                #expect(badBody?.title?.contains("profile.email") == true)
            }
        }

        @Test("ListUsers by email identity; DeleteUserPersonalInformation clears the profile and keeps the user; DeleteUser then 404")
        func listAndDelete() async throws {
            try await ClientLibrary.run { client, _ in
                let (appId, _) = try await ClientLibrary.app(client)
                let user = try await client.users.create(
                    appId: appId, UserCreate(externalId: "steve", profile: UserProfile(givenName: "Steve", email: "steve@example.com"), metadata: ["k": "v"]))
                // ListUsers matches verified identities, not profile.email: none here.
                #expect(try await client.users.list(appId: appId, email: "steve@example.com").isEmpty)

                let scrubbed = try await client.users.deletePersonalInformation(appId: appId, user: "steve")
                #expect(scrubbed.id == user.id)
                #expect(scrubbed.profile?.givenName == nil && scrubbed.profile?.email == nil)
                #expect(scrubbed.metadata == nil || scrubbed.metadata == [:])
                #expect(try await client.users.get(appId: appId, user: user.id).externalId == "steve")

                try await client.users.delete(appId: appId, user: "steve")
                let gone = await ClientLibrary.error { _ = try await client.users.get(appId: appId, user: user.id) }
                #expect(gone?.code == "user_not_found")
                let again = await ClientLibrary.error { try await client.users.delete(appId: appId, user: user.id) }
                #expect(again?.isNotFound == true)
            }
        }

        @Test("ListDevices is empty for a user who never opened the messenger; GetDevice is 404 device_not_found")
        func devices() async throws {
            try await ClientLibrary.run { client, _ in
                let (appId, _) = try await ClientLibrary.app(client)
                let user = try await client.users.create(appId: appId, UserCreate(externalId: "no-devices"))
                #expect(try await client.devices.list(appId: appId, user: user.id).isEmpty)
                let missing = await ClientLibrary.error {
                    _ = try await client.devices.get(appId: appId, user: user.id, deviceId: "0123456789abcdef01234567")
                }
                #expect(missing?.status == 404 && missing?.code == "device_not_found")
            }
        }
    }
}
