import Foundation
import Hummingbird
import ParleyDomain
import ParleyWire

/// The query string, percent-decoded in both keys and values, so `page%5Bafter%5D=…` (what HTTP
/// clients send for the deepObject `page[after]`) and `page[after]=…` read the same.
struct QueryParameters {
    private var values: [String: String] = [:]

    init(_ request: Request) {
        guard let query = request.uri.query, !query.isEmpty else { return }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            if values[key] == nil { values[key] = value }
        }
    }

    subscript(_ key: String) -> String? { values[key] }

    /// Every parameter, the first of a repeated name.
    var all: [String: String] { values }

    private static func decode(_ text: Substring) -> String? {
        PercentEncoding.decode(text, plusIsSpace: true)
    }
}
