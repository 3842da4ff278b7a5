import Foundation

/// The API's JSON dialect in one place: datetimes as `YYYY-MM-DDThh:mm:ss.SSSZ` in UTC, and response
/// envelopes (`{"user": {…}}`, `{"users": […], "meta", "links"}`) unwrapped by their key.
enum WireCoding {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(format(date))
        }
        // Stable bytes for the same body: a retried POST hashes the same on the server either way,
        // since the body is encoded once per call, but logs and tests read better sorted.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func decoder(envelopeKey: String? = nil) -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "Not an ISO 8601 datetime: \(text)")
            }
            return date
        }
        if let envelopeKey { decoder.userInfo[.envelopeKey] = envelopeKey }
        return decoder
    }

    /// `2026-01-02T03:04:05.678Z`. Milliseconds are computed as integers so a date read from the
    /// API is written back with the same digits (floating-point formatters can be 1 ms off).
    static func format(_ date: Date) -> String {
        let rounded = (date.timeIntervalSince1970 * 1000).rounded()
        // A date made from NaN or infinity is written as the epoch rather than trapping.
        let totalMilliseconds = rounded.isFinite ? rounded : 0
        // Dates beyond ±10^15 ms (30,000 years) are not the API's; clamp rather than trap.
        let clamped = Int64(max(min(totalMilliseconds, 1e15), -1e15))
        var seconds = clamped / 1000
        var milliseconds = clamped % 1000
        if milliseconds < 0 {
            milliseconds += 1000
            seconds -= 1
        }
        let whole = Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
        // `whole` ends in "Z": insert the fraction before it.
        let fraction = String(milliseconds + 1000).dropFirst()
        return String(whole.dropLast()) + "." + fraction + "Z"
    }

    /// An ISO 8601 datetime with or without a fraction of a second, `Z` or an offset.
    static func parse(_ text: String) -> Date? {
        var base = Substring(text)
        var fraction: Double = 0
        if let dot = text.firstIndex(of: ".") {
            let digits = text[text.index(after: dot)...].prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Double("0." + digits) else { return nil }
            fraction = value
            base = text[..<dot] + text[digits.endIndex...]
        }
        guard let date = try? Date(String(base), strategy: .iso8601) else { return nil }
        return date.addingTimeInterval(fraction)
    }
}

extension CodingUserInfoKey {
    /// The member of a response object that holds the operation's result (`user`, `users`…).
    static let envelopeKey = CodingUserInfoKey(rawValue: "ParleyClient.envelopeKey")!
}
