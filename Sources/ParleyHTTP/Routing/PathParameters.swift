import Hummingbird

/// The `:name` components of a matched path, in the order the path template names them.
///
/// Why not Hummingbird's `Parameters`: that is a dictionary filled for every request; an
/// operation's names are known when it is registered, so only the values are per request.
public struct PathParameters: Sendable {
    /// The template's parameter names, shared by every request of the route.
    private let names: [String]
    private let values: [Substring]

    init(names: [String], values: [Substring]) {
        precondition(names.count == values.count, "one value per parameter name")
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

    public subscript(name: String) -> String? {
        guard let index = names.firstIndex(of: name) else { return nil }
        return String(values[index])
    }
}
