import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ParleyDomain
@testable import ParleyHTTP

/// Paths and query strings: `PathMatcher` (every API request's route), `PathParameters.decoded()`,
/// `QueryParameters` and `PageQuery.parse`. Generated paths bend every template (extra slashes,
/// `%`-sequences, non-ASCII, thousands of components, very long ones); an independent matcher
/// over the path's bytes and Hummingbird's own router are the oracles.
/// Foundation has an `Operation` too.
typealias APIOperation = ParleyHTTP.Operation

@Suite("Fuzz: paths and queries")
struct RoutingFuzzTests {
    static let operations = APIOperation.all + [APIOperation.listWebhookDeliveries, .redeliverWebhookEvents]
    static let methods: [HTTPRequest.Method] = [.get, .post, .patch, .delete, .put, .head]

    static let matcher: PathMatcher<APIOperation> = {
        var matcher = PathMatcher<APIOperation>()
        for operation in operations { matcher.add(operation.path, method: operation.method, value: operation) }
        return matcher
    }()

    /// Parameter values: ids, externalIds as SDKs encode them, and hostile text raw or encoded.
    static func parameter(_ random: inout FuzzRandom) -> String {
        switch random.below(8) {
        case 0: return "5f8e0a1b2c3d4e5f60718293"
        case 1: return random.pick(["ana%40example.com", "caf%C3%A9", "%00", "a%00b", "%zz", "%", "%FF", "%A9", "%ED%A0%80", "%2F", "%EF%BB%BFx", ":appId", "-", "."])
        case 2: return FormFieldsFuzzTests.encoded(Hostile.string(&random))
        default:
            // Raw text, without the characters a URI gives another meaning.
            let text = Hostile.string(&random).replacingOccurrences(of: "?", with: "").replacingOccurrences(of: "#", with: "")
            return text.isEmpty ? "x" : text
        }
    }

    /// A path near a template: its parameters filled, then bent.
    static func path(_ random: inout FuzzRandom) -> String {
        let operation = random.pick(operations)
        var components = operation.path.split(separator: "/").map { component -> String in
            component.hasPrefix(":") ? parameter(&random) : String(component)
        }
        for _ in 0..<random.below(3) {
            let at = random.below(components.count + 1)
            switch random.below(7) {
            case 0: components.insert(parameter(&random), at: at)
            case 1: if at < components.count { components.remove(at: at) }
            case 2: if at < components.count { components[at] = components[at].uppercased() }
            case 3: if at < components.count { components[at] = Hostile.mutate(components[at], &random).replacingOccurrences(of: "?", with: "") }
            case 4: components.insert("", at: at)  // "//"
            case 5: components += Array(repeating: random.pick(["a", "", "v2", "%2F"]), count: random.pick([1, 5, 9, 10, 11, 1000]))
            default: if at < components.count { components[at] += random.pick(["\u{301}", "\u{600}", "é", "%", ";", ":", "*", "{x}"]) }
            }
        }
        var path = "/" + components.joined(separator: "/")
        if random.oneIn(5) { path += "/" }
        if random.oneIn(10) { path = "/" + path }
        return path.replacingOccurrences(of: "#", with: "").replacingOccurrences(of: "?", with: "")
    }

    /// The match, written independently: byte components (empty ones skipped), at most 10, each
    /// literal equal byte for byte, `:name` taking any one component.
    static func reference(_ path: String, _ method: HTTPRequest.Method) -> (APIOperation, [String: String])? {
        let components = path.utf8.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
        guard components.count <= 10 else { return nil }
        for operation in operations where operation.method == method {
            let template = operation.path.split(separator: "/").map(String.init)
            guard template.count == components.count else { continue }
            var values: [String: String] = [:]
            var matches = true
            for (literal, component) in zip(template, components) {
                if literal.hasPrefix(":") {
                    values[String(literal.dropFirst())] = component
                } else if Array(literal.utf8) != Array(component.utf8) {
                    matches = false
                    break
                }
            }
            if matches { return (operation, values) }
        }
        return nil
    }

    @Test("PathMatcher.match finds exactly the template an independent byte matcher finds, with the same parameters; decoded() decodes them or is a 400")
    func pathMatcher() async throws {
        let report = try await Fuzz.run("PathMatcher.match", filter: "RoutingFuzzTests/pathMatcher") { random, report in
            let path = Self.path(&random)
            let method = random.pick(Self.methods)
            report.trace("\(method) \(Fuzz.show(path))")
            let found = Self.matcher.match(path, method: method)
            let expected = Self.reference(path, method)
            report.count(found == nil ? "no match" : "match")
            report.expect(found?.value.id == expected?.0.id, "\(method) \(Fuzz.show(path)): \(found?.value.id ?? "nil"), expected \(expected?.0.id ?? "nil")")
            guard let (operation, parameters) = found, let (_, values) = expected else { return }
            for name in PathParameters.names(in: operation.path) {
                report.expect(parameters[name] == values[name], "\(name) is \(parameters[name].map(Fuzz.show) ?? "nil"), expected \(values[name].map(Fuzz.show) ?? "nil")")
            }
            do {
                let decoded = try parameters.decoded()
                report.count("decoded")
                for name in PathParameters.names(in: operation.path) {
                    let raw = values[name] ?? ""
                    let expected = raw.utf8.contains(UInt8(ascii: "%")) ? FormFieldsFuzzTests.percentDecoded(Substring(raw)) : raw
                    report.expect(expected != nil && decoded[name] == expected, "\(name) \(Fuzz.show(raw)) decoded as \(decoded[name].map(Fuzz.show) ?? "nil")")
                }
            } catch {
                report.count("400")
                report.expect((error as? ParleyError)?.kind == .badRequest, "decoded() threw \(String(reflecting: error))")
                let decodable = PathParameters.names(in: operation.path).allSatisfy { name in
                    let raw = values[name] ?? ""
                    return !raw.utf8.contains(UInt8(ascii: "%")) || FormFieldsFuzzTests.percentDecoded(Substring(raw)) != nil
                }
                report.expect(!decodable, "decoded() refused parameters that decode: \(Fuzz.show(path)) (\(error))")
            }
        }
        report.expectReached("match", atLeast: Fuzz.cases / 10)
        report.expectReached("400", atLeast: 10)
    }

    @Test("PathMatcher agrees with Hummingbird's router on generated paths")
    func agreesWithHummingbird() async throws {
        let router = Router()
        for operation in Self.operations {
            router.on(RouterPath(operation.path), method: operation.method) { _, context in
                ([operation.id] + PathParameters.names(in: operation.path).map { context.parameters.get($0) ?? "<missing>" }).joined(separator: " ")
            }
        }
        let matcher = Self.matcher
        // Each case is a request through Hummingbird's router: a tenth of the parser's count.
        let cases = max(1, Fuzz.cases / 10)
        try await Application(router: router).test(.router) { client in
            let report = try await Fuzz.run("PathMatcher vs Hummingbird", cases: cases, filter: "RoutingFuzzTests/agreesWithHummingbird") { random, report in
                var path = Self.path(&random)
                // The test client reads the URI: keep it free of what a URI would take apart.
                path = path.replacingOccurrences(of: " ", with: "%20")
                let method = random.pick([HTTPRequest.Method.get, .post, .patch, .delete])
                report.trace("\(method) \(Fuzz.show(path))")
                // What the router sees: the path as the request carries it (HTTPRequest makes
                // control characters spaces) and as Hummingbird's URI reads it.
                path = Request(head: HTTPRequest(method: method, scheme: "http", authority: "parley.test", path: path), body: RequestBody(buffer: ByteBuffer())).uri.path
                let ours = matcher.match(path, method: method).map { operation, parameters in
                    ([operation.id] + PathParameters.names(in: operation.path).map { parameters[$0] ?? "<missing>" }).joined(separator: " ")
                }
                let theirs = try await client.execute(uri: path, method: method) { response in
                    response.status == .ok ? String(buffer: response.body) : nil
                }
                // Hummingbird splits the path into Characters: a "/" that is part of a larger
                // Character ("\u{600}/" is one) does not split there. Counted, not compared.
                let characterSplit = path.split(separator: "/").map(String.init)
                let byteSplit = path.utf8.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
                guard characterSplit == byteSplit else {
                    report.count(ours == theirs ? "slash inside a Character, agreed" : "slash inside a Character, differed")
                    return
                }
                report.count(ours == nil ? "neither" : "matched")
                report.expect(ours == theirs, "\(method) \(Fuzz.show(path)): PathMatcher \(ours ?? "nil"), Hummingbird \(theirs ?? "nil")")
            }
            report.expectReached("matched", atLeast: cases / 10)
        }
    }

    static let queryKeys = ["page[size]", "page%5Bsize%5D", "page[after]", "page%5Bafter%5D", "page[before]", "page%5bbefore%5d", "page[", "page",
                            "filter[identities.email]", "userId", "type", "", "page[size]%00", "%EF%BB%BFpage[size]"]
    static let queryValues = ["1", "100", "0", "101", "-1", "+5", "05", "1e1", " 5", "5 ", "٥", "５", "99999999999999999999", "5f8e0a1b2c3d4e5f60718293",
                              "5F8E0A1B2C3D4E5F60718293", "5f8e0a1b2c3d4e5f6071829", "%35", "%00", "", "%zz", "%A9", "+"]

    /// A query string of known keys and awkward values, then damaged.
    static func query(_ random: inout FuzzRandom) -> String {
        var pairs: [String] = []
        for _ in 0..<random.below(6) {
            let key = random.oneIn(6) ? FormFieldsFuzzTests.encoded(Hostile.string(&random)) : random.pick(queryKeys)
            let value = random.oneIn(5) ? Hostile.string(&random) : random.pick(queryValues)
            pairs.append(random.oneIn(10) ? key : "\(key)=\(value)")
        }
        var query = pairs.joined(separator: random.oneIn(10) ? "&&" : "&")
        if random.oneIn(4) { query = Hostile.mutate(query, &random, extra: ["&", "=", "%", "+", ";", "[", "]"]) }
        return query.replacingOccurrences(of: "#", with: "")
    }

    static func request(query: String) -> Request {
        Request(head: HTTPRequest(method: .get, scheme: "http", authority: "parley.test", path: "/v2/apps?" + query), body: RequestBody(buffer: ByteBuffer()))
    }

    @Test("QueryParameters: each key's first value, both percent-decoded, as an independent reading finds them; PageQuery.parse: a page request or a 400")
    func queryParameters() async throws {
        let report = try await Fuzz.run("QueryParameters+PageQuery.parse", filter: "RoutingFuzzTests/queryParameters") { random, report in
            let query = Self.query(&random)
            report.trace(Fuzz.show(query))
            let request = Self.request(query: query)
            let parameters = QueryParameters(request)
            // The same reading, written independently (the query as Hummingbird's URI gives it).
            var expected: [String: String] = [:]
            for pair in (request.uri.query ?? "").split(separator: "&") {
                let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let decode = { (text: Substring) in FormFieldsFuzzTests.percentDecoded(Substring(FormFieldsFuzzTests.plusAsSpace(text))) }
                guard let key = decode(halves[0]) else { continue }
                if expected[key] == nil { expected[key] = halves.count > 1 ? decode(halves[1]) ?? "" : "" }
            }
            for key in Set(expected.keys).union(["page[size]", "page[after]", "page[before]"]) {
                report.expect(parameters[key] == expected[key], "\(Fuzz.show(key)) is \(parameters[key].map(Fuzz.show) ?? "nil"), expected \(expected[key].map(Fuzz.show) ?? "nil") in \(Fuzz.show(query))")
            }
            let size = expected["page[size]"]
            let sizeValid = size.map { Int($0).map { (1...100).contains($0) } ?? false } ?? true
            let cursors = [expected["page[after]"], expected["page[before]"]].compactMap { $0 }
            let cursorsValid = cursors.count < 2 && cursors.allSatisfy { ResourceID($0) != nil }
            do {
                let page = try PageQuery.parse(parameters)
                report.count("page")
                report.expect(sizeValid && cursorsValid, "a page request from \(Fuzz.show(query))")
                report.expect(size == nil || page.size == Int(size!), "page size \(page.size) from \(Fuzz.show(query))")
                report.expect(PageRequest.sizeRange.contains(page.size), "page size \(page.size)")
            } catch {
                report.count("400")
                report.expect((error as? ParleyError)?.kind == .badRequest, "PageQuery.parse threw \(String(reflecting: error))")
                report.expect(!(sizeValid && cursorsValid), "refused \(Fuzz.show(query)): \(error)")
            }
        }
        report.expectReached("page", atLeast: Fuzz.cases / 10)
        report.expectReached("400", atLeast: Fuzz.cases / 10)
    }
}
