import Foundation
import ParleyDomain
import Synchronization
import Testing

@Suite("Ids and timestamps")
struct ResourceIDTests {
    @Test("Generated ids are 24 hex digits, unique and strictly increasing, even within one millisecond")
    func monotonic() {
        let generator = ResourceIDGenerator(clock: { 1_700_000_000_000 })
        let ids = (0..<10_000).map { _ in generator.next() }
        #expect(ids.allSatisfy { $0.rawValue.range(of: "^[0-9a-f]{24}$", options: .regularExpression) != nil })
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
    }

    @Test("An id is the millisecond, then the sequence within it, then the generator's tag, in hex")
    func layout() {
        let generator = ResourceIDGenerator(clock: { 0x0123_4567_89AB })
        let first = generator.next().rawValue, second = generator.next().rawValue
        #expect(first.prefix(18) == "0123456789ab000000")
        #expect(second.prefix(18) == "0123456789ab000001")
        #expect(first.suffix(6) == second.suffix(6))
    }

    @Test("The earliest id of a millisecond is that millisecond and zeros: ids made then sort at or above it, earlier ones below")
    func earliest() {
        let millis: Int64 = 0x0123_4567_89AB
        let bound = ResourceID.earliest(at: Timestamp(millisecondsSince1970: millis))
        #expect(bound.rawValue == "0123456789ab000000000000")
        #expect(bound <= ResourceIDGenerator(clock: { UInt64(millis) }).next())
        #expect(ResourceIDGenerator(clock: { UInt64(millis - 1) }).next() < bound)
        #expect(ResourceID.earliest(at: Timestamp(millisecondsSince1970: -5)).rawValue == String(repeating: "0", count: 24))
    }

    @Test("Ids keep increasing when the wall clock steps back")
    func clockStepsBack() {
        let now = Mutex<UInt64>(2_000)
        let generator = ResourceIDGenerator(clock: { now.withLock { $0 } })
        let first = generator.next()
        now.withLock { $0 = 1_000 }
        let second = generator.next()
        #expect(first < second)
    }

    @Test("Ids from later milliseconds sort after earlier ones, across generators")
    func timeOrdered() {
        let early = ResourceIDGenerator(clock: { 1_000 }).next()
        let late = ResourceIDGenerator(clock: { 1_001 }).next()
        #expect(early < late)
    }

    @Test("ResourceID accepts exactly 24 hex digits", arguments: [
        ("0123456789abcdef01234567", true), ("0123456789ABCDEF01234567", true), ("0123456789abcdef0123456", false),
        ("0123456789abcdef012345678", false), ("0123456789abcdef0123456g", false), ("", false),
    ])
    func parsing(text: String, valid: Bool) {
        #expect((ResourceID(text) != nil) == valid)
        #expect((ResourceID(text[...]) != nil) == valid)
    }

    @Test("ResourceID keeps ids lowercase; non-ASCII text of 24 bytes is refused")
    func normalised() {
        #expect(ResourceID("0123456789ABCDEF0123456a")?.rawValue == "0123456789abcdef0123456a")
        #expect(ResourceID("0123456789abcdef0123456a")?.rawValue == "0123456789abcdef0123456a")
        #expect(ResourceID("0123456789abcdef012345é") == nil)
        #expect(ResourceID("0123456789abcdef01234567".dropFirst(0)) == ResourceID("0123456789abcdef01234567"))
    }

    @Test("KeyID needs a known prefix and 24 hex digits", arguments: [
        ("app_0123456789abcdef01234567", KeyScope.app), ("act_0123456789ABCDEF01234567", .account), ("int_0123456789abcdef01234567", .integration),
        ("usr_0123456789abcdef01234567", nil), ("app_0123456789abcdef0123456", nil), ("app-0123456789abcdef01234567", nil), ("app_", nil),
    ])
    func keyIDs(text: String, scope: KeyScope?) {
        #expect(KeyID(text)?.scope == scope)
        #expect(KeyID(text[...])?.scope == scope)
        if scope != nil { #expect(KeyID(text)?.rawValue == text) }
    }

    @Test("Key ids carry their scope in the prefix")
    func keyIds() {
        #expect(KeyID("act_0123456789abcdef01234567")?.scope == .account)
        #expect(KeyID("app_0123456789abcdef01234567")?.scope == .app)
        #expect(KeyID("int_0123456789abcdef01234567")?.scope == .integration)
        #expect(KeyID("svc_0123456789abcdef01234567") == nil)
        #expect(KeyID("app_0123") == nil)
    }

    @Test("Timestamps format as YYYY-MM-DDThh:mm:ss.SSSZ in UTC and parse common ISO 8601 forms")
    func timestamps() {
        #expect(Timestamp(millisecondsSince1970: 1_592_652_367_001).iso8601 == "2020-06-20T11:26:07.001Z")
        #expect(Timestamp(millisecondsSince1970: 0).iso8601 == "1970-01-01T00:00:00.000Z")
        // Past the API's four-digit years (only a stored value can be): still written, not cut.
        #expect(Timestamp(millisecondsSince1970: 253_402_300_800_000).iso8601 == "+10000-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSince1970: -62_167_219_200_001).iso8601 == "-0001-12-31T23:59:59.999Z")
        #expect(Timestamp(iso8601: "2020-06-20T11:26:07.001Z")?.millisecondsSince1970 == 1_592_652_367_001)
        #expect(Timestamp(iso8601: "2020-06-20T11:26:07Z")?.millisecondsSince1970 == 1_592_652_367_000)
        #expect(Timestamp(iso8601: "2020-06-20T13:26:07.001+02:00")?.millisecondsSince1970 == 1_592_652_367_001)
        #expect(Timestamp(iso8601: "20 June 2020") == nil)
    }

    @Test("Datetimes round-trip exactly on the proleptic Gregorian calendar, early years included", arguments: [
        "0000-01-01T00:00:00.000Z", "1000-01-01T00:00:00.000Z", "1582-10-10T12:00:00.000Z", "1969-12-31T23:59:59.999Z",
        "2000-02-29T00:00:00.000Z", "2020-05-21T15:53:30.197Z", "9999-12-31T23:59:59.999Z",
    ])
    func roundTrip(text: String) throws {
        let timestamp = try #require(Timestamp(iso8601: text))
        #expect(timestamp.iso8601 == text)
    }

    @Test("Impossible dates and times are refused, not rolled over", arguments: [
        "2020-02-30T00:00:00.000Z", "2019-02-29T00:00:00.000Z", "2020-05-21T24:00:00.000Z", "2020-13-01T00:00:00.000Z",
        "2020-04-31T00:00:00.000Z", "2020-05-21T10:60:00.000Z", "2020-05-21T10:00:00.000+25:00", "2020-05-21",
        "2020-05-21T10:00:00.000", "+2020-05-21T10:00:00.000Z", "2020-05-21T10:00:00.Z", "2020-05-21T10:00:00.0000000000Z",
        "2020-05-21T10:00:00.000z", "2020-05-21t10:00:00.000Z", "2020-05-21T10:00:00.000+0200", "2020-05-21T10:00:00.000Z ",
    ])
    func impossible(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    /// Found by a probe: a pattern's `\d` matched these, the integer conversion did not, and a
    /// force-unwrap stopped the server.
    @Test("Only ASCII digits are digits: Arabic-Indic, Devanagari, fullwidth and other Unicode digits are refused", arguments: [
        "\u{662}\u{660}\u{662}\u{660}-05-21T15:53:30.197Z", "2020-\u{966}\u{965}-21T15:53:30.197Z", "2020-05-21T15:53:30.\u{FF11}\u{FF19}\u{FF17}Z",
        "\u{FF12}\u{FF10}\u{FF12}\u{FF10}-05-21T15:53:30Z", "2020-05-21T15:53:30+\u{6F0}\u{6F2}:00", "2020-05-21T15:53:\u{1D7D8}\u{1D7D8}Z",
        "2020-05-21T15:53:30.1\u{0}Z", "\u{0}2020-05-21T15:53:30Z",
    ])
    func nonASCIIDigits(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test("Fractions of 1 to 9 digits count to the millisecond; offsets of either sign shift to UTC")
    func fractionsAndOffsets() {
        #expect(Timestamp(iso8601: "2020-06-20T11:26:07.1Z")?.millisecondsSince1970 == 1_592_652_367_100)
        #expect(Timestamp(iso8601: "2020-06-20T11:26:07.12Z")?.millisecondsSince1970 == 1_592_652_367_120)
        #expect(Timestamp(iso8601: "2020-06-20T11:26:07.123456789Z")?.millisecondsSince1970 == 1_592_652_367_123)
        #expect(Timestamp(iso8601: "2020-06-20T06:56:07.001-04:30")?.millisecondsSince1970 == 1_592_652_367_001)
        // The edges: an offset may not carry a datetime out of years 0000–9999 in UTC (the fuzz
        // gate found "0000-01-01T00:00:00+00:01" written back as year -1).
        #expect(Timestamp(iso8601: "0000-01-01T00:00:00.000+00:01") == nil)
        #expect(Timestamp(iso8601: "9999-12-31T23:59:59.999-00:01") == nil)
        #expect(Timestamp(iso8601: "0000-01-01T00:00:00.000-23:59")?.iso8601 == "0000-01-01T23:59:00.000Z")
        #expect(Timestamp(iso8601: "9999-12-31T23:59:59.999+23:59")?.iso8601 == "9999-12-31T00:00:59.999Z")
    }
}
