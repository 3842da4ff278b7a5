import ParleyHTTP
import Testing

/// `matches` remembers secrets that matched; remembering must never make a wrong secret match.
@Suite("CryptoSecretSealer")
struct CryptoSecretSealerTests {
    static let sealer = try! CryptoSecretSealer(serverKey: Array(repeating: 7, count: 32))

    @Test("A matched secret keeps matching; wrong ones stay refused after it was remembered, whatever their length")
    func rememberedMatches() throws {
        let sealer = Self.sealer
        let sealed = try sealer.seal("right-secret-123")
        #expect(!sealer.matches("wrong-secret-123", sealed))
        #expect(sealer.matches("right-secret-123", sealed))
        #expect(sealer.matches("right-secret-123", sealed))
        for wrong in ["wrong-secret-123", "right-secret-124", "right-secret-12", "right-secret-1234", ""] {
            #expect(!sealer.matches(wrong, sealed), "\(wrong)")
        }
    }

    @Test("A remembered secret does not open another key's hash")
    func perKey() throws {
        let sealer = Self.sealer
        let first = try sealer.seal("first-secret")
        let second = try sealer.seal("second-secret")
        #expect(sealer.matches("first-secret", first))
        #expect(!sealer.matches("first-secret", second))
        #expect(sealer.matches("second-secret", second))
        #expect(!sealer.matches("second-secret", first))
    }
}
