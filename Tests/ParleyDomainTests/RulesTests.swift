import ParleyDomain
import Testing

@Suite("Domain rules")
struct RulesTests {
    @Test("Metadata must be flat and at most 4096 bytes")
    func metadata() throws {
        _ = try Metadata.validated(["a": .string("x"), "b": .integer(1), "c": .double(1.5), "d": .bool(true)])
        #expect(throws: ParleyError.self) { try Metadata.validated(["a": .object([:])]) }
        #expect(throws: ParleyError.self) { try Metadata.validated(["a": .array([])]) }
        #expect(throws: ParleyError.self) { try Metadata.validated(["a": .null]) }
        _ = try Metadata.validated(["k": .string(String(repeating: "x", count: 4000))])
        #expect(throws: ParleyError.self) { try Metadata.validated(["k": .string(String(repeating: "x", count: 4090))]) }
    }

    @Test("Account keys reach every app; app keys only theirs; scopes gate operations")
    func authorization() throws {
        let mine = ResourceID("0123456789abcdef01234567")!
        let other = ResourceID("76543210fedcba9876543210")!
        let account = Principal(keyId: KeyID("act_0123456789abcdef01234567")!, appId: nil)
        let app = Principal(keyId: KeyID("app_0123456789abcdef01234567")!, appId: mine)
        try account.authorize([.account], appId: other)
        try app.authorize([.account, .app], appId: mine)
        #expect(throws: ParleyError.forbidden("The credentials do not grant access to app \(other)")) {
            try app.authorize([.account, .app], appId: other)
        }
        #expect(throws: ParleyError.self) { try app.authorize([.account], appId: mine) }
    }

    @Test("App settings: retention not negative, multiConvo irreversible, session settings need it")
    func settings() throws {
        var settings = AppSettings()
        settings.conversationRetentionSeconds = -1
        #expect(throws: ParleyError.self) { try settings.validated(previous: nil) }
        var on = AppSettings()
        on.multiConvoEnabled = true
        on.endSessionEnabled = true
        _ = try on.validated(previous: nil)
        var off = AppSettings()
        off.multiConvoEnabled = false
        #expect(throws: ParleyError.self) { try on.merging(off).validated(previous: on) }
        var partial = AppSettings()
        partial.echoPostback = true
        #expect(on.merging(partial).multiConvoEnabled == true)
    }

    @Test("Field rules name the field", arguments: ["bad", "a@b", "@b.co", "a b@c.co"])
    func emails(value: String) {
        #expect(throws: ParleyError.badRequest("profile.email must be a valid email address")) {
            try Rules.email(value, field: "profile.email")
        }
    }
}
