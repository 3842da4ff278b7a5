import ParleyDomain
import Testing

@Suite("Phone numbers")
struct PhoneNumberTests {
    @Test("E.164: + and the country code required; separators dropped; 8–15 digits", arguments: [
        ("+1 212-555-2368", "+12125552368"), ("+1 (212) 555.2368", "+12125552368"), ("212 555 2368", nil), ("1 212 555 2368", nil),
        ("+0 212 555 2368", nil), ("+1234567", nil), ("+1234567890123456", nil),
    ] as [(String, String?)])
    func phoneNumbers(input: String, expected: String?) {
        #expect((try? PhoneNumber.normalized(input, field: "phoneNumber")) == expected)
    }
}
