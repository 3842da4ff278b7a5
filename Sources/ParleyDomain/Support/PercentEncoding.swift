/// `%XX` escapes, as URLs' paths and queries and HTML forms carry text.
///
/// Why not Foundation's `removingPercentEncoding`: on Linux it turns a lone continuation byte
/// (`%A9`) into U+FFFD instead of refusing it, and drops a leading U+FEFF, so two different
/// encodings read as the same text. Here every escape must be two hex digits and the bytes must
/// be UTF-8, exactly.
public enum PercentEncoding {
    /// The text `encoded` stands for, nil when an escape is malformed or the bytes are not UTF-8.
    /// `plusIsSpace`: `+` means a space, as in query strings and form bodies.
    public static func decode(_ encoded: some StringProtocol, plusIsSpace: Bool = false) -> String? {
        let input = Array(encoded.utf8)
        guard input.contains(UInt8(ascii: "%")) || (plusIsSpace && input.contains(UInt8(ascii: "+"))) else { return String(encoded) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            switch input[index] {
            case UInt8(ascii: "%"):
                guard index + 2 < input.count, let high = Hex.value(input[index + 1]), let low = Hex.value(input[index + 2]) else {
                    return nil
                }
                bytes.append(high << 4 | low)
                index += 3
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
                index += 1
            case let byte:
                bytes.append(byte)
                index += 1
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
