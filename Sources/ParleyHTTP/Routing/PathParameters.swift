import Foundation
import Hummingbird
import ParleyDomain
import ParleyWire

/// The `:name` components of a matched path, in the order the path template names them.
///
/// Why not Hummingbird's `Parameters`: that is a dictionary filled for every request; an
/// operation's names are known when it is registered, so only the values are per request.
public struct PathParameters: Sendable {
    /// The template's parameter names, shared by every request of the route.
    private let names: [String]
    private let values: [Substring]

    /// One value per name, in order (both come from the same template; a missing value reads as absent).
    init(names: [String], values: [Substring]) {
        self.names = names
        self.values = values
    }

    /// The values Hummingbird's router captured for the same names (the path it matched itself).
    init(names: [String], from parameters: Parameters) {
        self.init(names: names, values: names.map { parameters[$0[...]] ?? "" })
    }

    /// The `:name` components of a path template, in order, without their colons.
    static func names(in template: String) -> [String] {
        template.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }

    /// The values percent-decoded, as clients encode them (`ana%40example.com` is the externalId
    /// `ana@example.com`). A value that does not decode to UTF-8 is 400. (One that decodes to text
    /// holding U+0000 names nothing, and the lookup says so: 404.)
    func decoded() throws -> PathParameters {
        guard values.contains(where: { $0.utf8.contains(UInt8(ascii: "%")) }) else { return self }
        let decoded = try zip(names, values).map { name, value -> Substring in
            guard value.utf8.contains(UInt8(ascii: "%")) else { return value }
            guard let text = PercentEncoding.decode(value) else {
                throw ParleyError.badRequest("The path's \(name) is not valid percent-encoded UTF-8")
            }
            return text[...]
        }
        return PathParameters(names: names, values: decoded)
    }

    public subscript(name: String) -> String? {
        guard let index = names.firstIndex(of: name), index < values.count else { return nil }
        return String(values[index])
    }
}
