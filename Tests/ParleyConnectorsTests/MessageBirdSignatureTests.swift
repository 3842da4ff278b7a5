import Foundation
import Testing

@testable import ParleyConnectors

/// `MessageBird-Signature-JWT` against the reference cases MessageBird publishes with its SDKs
/// (messagebird-nodejs `lib/testdata/webhook-signature-jwt-reference.json`): tokens MessageBird
/// signed, checked at the instant the reference names.
@Suite("MessageBird signature")
struct MessageBirdSignatureTests {
    static let secret = "36efdd1aace2e26cd490f0d951138253bef2f7c6d34d18981da781555cc4cebb"
    /// 2021-07-05T12:00:00+02:00, the references' "timestamp".
    static let instant = Date(timeIntervalSince1970: 1_625_479_200)

    static func verify(_ token: String, url: String, body: String = "", secret: String = secret, at now: Date = instant) -> String? {
        do {
            try MessageBirdSignature.verify(token, url: url, body: Array(body.utf8), signingKey: secret, now: now)
            return nil
        } catch let refusal as MessageBirdSignature.Refusal {
            return refusal.reason
        } catch {
            return "\(error)"
        }
    }

    static let plain = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.6Fp0rVOsRr1fj9S2GidXAfkmPVofKr8_RTffC6G6r2E"
    static let withPayload = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI5M2U1NTAwNi1hMGU4LTQ1MjYtYTE5MC1mYTVmZjAwZWExMTYiLCJ1cmxfaGFzaCI6IjQxZjA1ZjBkZGQwYTIyYWIyMDlhYzQ2ZjQ3YzQ1NzJkOWNlZmEyNTdlZDc0YjI0MDA0YmFlNzUzZWNlNmMyNjAiLCJwYXlsb2FkX2hhc2giOiJkZmZkNjAyMWJiMmJkNWIwYWY2NzYyOTA4MDllYzNhNTMxOTFkZDgxYzdmNzBhNGIyODY4OGEzNjIxODI5ODZmIn0._H--TOuYFLpeEH39-rg5E3IHVkjHozBcaKVWPRC5m9I"
    static let hs384 = "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.KNMW-29X77lZeuPmThmHWc_RUAvTkaDkpxIZK6mqE08v8mWKiU9Edh4QXwAJO2nv"
    static let expired = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3NTYwMCwiZXhwIjoxNjI1NDc1NjYwLCJqdGkiOiI1ZjAyZjUyMi02MDMwLTQ2YzgtYjVhMy0wMTI0NjQ3OGQ4YmMiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.45MSST3B_2PsjNUeiuW54_vUQgVw4rBXrdWrOUEz3lM"
    static let early = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ4MjgwMCwiZXhwIjoxNjI1NDgyODYwLCJqdGkiOiJmOWY4YzM4Mi0yNDQ5LTQzMTEtYjcyYi0xZGY3MTY4NzkzMWUiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.ZELgDFNGhjZH9CffQKcq3sytBe2I0KciLxpBhcfstHQ"
    static let otherSecret = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiIyNDNjMjdhZS0yZjAyLTQ2YTAtODg1Mi1jNjZmMzdlYTlmNDYiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.JgSeYyOtlEKAXk8bz30iJI4tXgf4lxknoiezawuVhb4"

    @Test("MessageBird's valid references verify: no body, a body, HS384")
    func valid() {
        #expect(Self.verify(Self.plain, url: "https://example.com/") == nil)
        #expect(Self.verify(Self.withPayload, url: "https://example.com/path?bar=1&foo=2", body: "Hello, World!") == nil)
        #expect(Self.verify(Self.hs384, url: "https://example.com/") == nil)
        // Within the token's minute, and a few seconds either side of it.
        #expect(Self.verify(Self.plain, url: "https://example.com/", at: Self.instant.addingTimeInterval(63)) == nil)
        #expect(Self.verify(Self.plain, url: "https://example.com/", at: Self.instant.addingTimeInterval(-3)) == nil)
    }

    @Test("Refused: expired, not yet valid, another secret, another URL, a changed, added or removed body, garbage")
    func refused() {
        #expect(Self.verify(Self.expired, url: "https://example.com/")?.contains("expired") == true)
        #expect(Self.verify(Self.plain, url: "https://example.com/", at: Self.instant.addingTimeInterval(66))?.contains("expired") == true)
        #expect(Self.verify(Self.early, url: "https://example.com/")?.contains("not valid yet") == true)
        #expect(Self.verify(Self.otherSecret, url: "https://example.com/")?.contains("signingKey") == true)
        #expect(Self.verify(Self.plain, url: "https://example.com/", secret: "another")?.contains("signingKey") == true)
        #expect(Self.verify(Self.withPayload, url: "https://example.com/path?foo=2&bar=1", body: "Hello, World!")?.contains("URL") == true)
        #expect(Self.verify(Self.withPayload, url: "https://example.com/path?bar=1&foo=2", body: "Hello, World?")?.contains("body") == true)
        #expect(Self.verify(Self.withPayload, url: "https://example.com/path?bar=1&foo=2")?.contains("body") == true)
        #expect(Self.verify(Self.plain, url: "https://example.com/", body: "Hello, World!")?.contains("body") == true)
        #expect(Self.verify("", url: "https://example.com/")?.contains("no MessageBird-Signature-JWT") == true)
        #expect(Self.verify("a.b", url: "https://example.com/")?.contains("not a JWT") == true)
        #expect(Self.verify("%%%.%%%.%%%", url: "https://example.com/")?.contains("not a JWT") == true)
        // `alg: none` with the signature dropped.
        let parts = Self.plain.split(separator: ".")
        let none = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        #expect(Self.verify("\(none).\(parts[1]).", url: "https://example.com/")?.contains("HS256") == true)
    }
}
