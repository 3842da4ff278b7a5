/// Makes key secrets: 48 random bytes from the system's cryptographic generator, base64url
/// without padding (64 characters, comfortably above HS256's 32-byte minimum).
enum SecretGenerator {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        // 64 symbols of 6 bits each = 384 bits, the same entropy as 48 random bytes.
        let symbols = (0..<64).map { _ in alphabet[Int(generator.next() % 64)] }
        return String(decoding: symbols, as: UTF8.self)
    }
}
