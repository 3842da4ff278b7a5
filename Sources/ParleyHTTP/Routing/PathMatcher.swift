import Hummingbird

/// Finds the route for a request's path and method among templates such as
/// `/v2/apps/:appId/conversations/:conversationId/messages`, the way Hummingbird's router does
/// (components split on `/`, empty ones skipped, compared byte for byte, `:name` matching any
/// one component), but over the path's UTF-8 bytes.
///
/// Why: Hummingbird's trie walks the path `Character` by `Character` and fills a dictionary of
/// parameters for every request, and its endpoint runs behind a chain of middleware responders.
/// The API's paths are few and fixed, so a scan of the templates with the request's component
/// count is shorter: PostMessage took 2–14 % less CPU per post in alternating rounds
/// (BENCHMARKS.md, "Round 9"). Whatever this does not match (another method, HEAD, a route
/// registered only on the router) goes on to Hummingbird's router, so routing rules the API does
/// not use stay Hummingbird's.
///
/// It assumes no two templates overlap (a literal and a `:name` at the same place under the
/// same prefix); `add` refuses such a template, so a route can never shadow another.
struct PathMatcher<Value: Sendable>: Sendable {
    /// Paths with more components than this are left to the router.
    static var maximumComponents: Int { 10 }

    private struct Route: Sendable {
        /// One entry per component: the literal's bytes, or nil for a `:name`.
        let literals: [[UInt8]?]
        let parameterNames: [String]
        var values: [(method: HTTPRequest.Method, value: Value)]
    }

    /// Routes by their number of components.
    private var routes: [[Route]] = Array(repeating: [], count: Self.maximumComponents + 1)

    init() {}

    /// Adds `value` for `method` on `template` (`/literal/:name/…`).
    mutating func add(_ template: String, method: HTTPRequest.Method, value: Value) {
        let components = template.split(separator: "/")
        precondition(components.count <= Self.maximumComponents, "template too long for PathMatcher: \(template)")
        let literals: [[UInt8]?] = components.map { component in
            precondition(!component.contains("*") && !component.contains("{"), "PathMatcher takes literals and :name only: \(template)")
            return component.hasPrefix(":") ? nil : Array(component.utf8)
        }
        let names = PathParameters.names(in: template)
        var sameLength = routes[components.count]
        if let index = sameLength.firstIndex(where: { $0.literals == literals }) {
            precondition(!sameLength[index].values.contains { $0.method == method }, "\(method) \(template) added twice")
            precondition(sameLength[index].parameterNames == names, "\(template) renames the parameters of a path already added")
            sameLength[index].values.append((method, value))
        } else {
            precondition(
                !sameLength.contains { Self.overlap($0.literals, literals) },
                "\(template) overlaps a template already added; PathMatcher cannot order them")
            sameLength.append(Route(literals: literals, parameterNames: names, values: [(method, value)]))
        }
        routes[components.count] = sameLength
    }

    /// The value for `method` on `path` with the path's parameters, or nil when no template
    /// matches the path or the matching one has nothing for `method`.
    func match(_ path: String, method: HTTPRequest.Method) -> (value: Value, parameters: PathParameters)? {
        // A request's path is native, contiguous UTF-8; one that is not goes on to the router.
        let found = path.utf8.withContiguousStorageIfAvailable { bytes -> (Value, PathParameters)? in
            withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: Self.maximumComponents) { components in
                guard let count = Self.split(bytes, into: components) else { return nil }
                for route in routes[count] where Self.literalsMatch(route.literals, bytes, components) {
                    guard let value = route.values.first(where: { $0.method == method })?.value else { return nil }
                    var values: [Substring] = []
                    values.reserveCapacity(route.parameterNames.count)
                    for (index, literal) in route.literals.enumerated() where literal == nil {
                        let range = components[index]
                        let utf8 = path.utf8
                        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
                        let end = utf8.index(utf8.startIndex, offsetBy: range.upperBound)
                        values.append(path[start..<end])
                    }
                    return (value, PathParameters(names: route.parameterNames, values: values))
                }
                return nil
            }
        }
        return found ?? nil
    }

    /// Splits on `/`, skipping empty components as Hummingbird's router does (`//` and a
    /// trailing `/` change nothing). Nil when there are more than `maximumComponents`.
    private static func split(_ bytes: UnsafeBufferPointer<UInt8>, into components: UnsafeMutableBufferPointer<Range<Int>>) -> Int? {
        let slash = UInt8(ascii: "/")
        var count = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == slash {
                index += 1
                continue
            }
            let start = index
            while index < bytes.count && bytes[index] != slash { index += 1 }
            guard count < components.count else { return nil }
            components[count] = start..<index
            count += 1
        }
        return count
    }

    private static func literalsMatch(
        _ literals: [[UInt8]?], _ bytes: UnsafeBufferPointer<UInt8>, _ components: UnsafeMutableBufferPointer<Range<Int>>
    ) -> Bool {
        for (index, literal) in literals.enumerated() {
            guard let literal else { continue }
            let range = components[index]
            guard range.count == literal.count, bytes[range].elementsEqual(literal) else { return false }
        }
        return true
    }

    /// Whether some path could match both: every component is equal or one of the two is a parameter.
    private static func overlap(_ left: [[UInt8]?], _ right: [[UInt8]?]) -> Bool {
        zip(left, right).allSatisfy { left, right in left == nil || right == nil || left == right }
    }
}
