import Hummingbird
import HummingbirdTesting
import Testing

@testable import ParleyHTTP

@Suite("PathMatcher routes as Hummingbird's router does")
struct PathMatcherTests {
    /// Every operation's template, the spec's and Parley's own.
    static let operations = Operation.all + [Operation.listWebhookDeliveries, .redeliverWebhookEvents]
    static let methods: [HTTPRequest.Method] = [.get, .post, .patch, .delete, .put]

    /// What a route answers in both routers: the operation and its parameters in template order.
    static func describe(_ operation: Operation, _ parameter: (String) -> String?) -> String {
        let values = PathParameters.names(in: operation.path).map { parameter($0) ?? "<missing>" }
        return ([operation.id] + values).joined(separator: " ")
    }

    /// Paths near every template: the template itself with varied parameter values, and the
    /// ways a client can bend it (slashes, case, one component more or less).
    static func requestPaths() -> [String] {
        let samples = ["5f8e0a1b2c3d4e5f60718293", "u%40example.com", "caf%C3%A9", "a:b", "x.y", "é-ü", "-"]
        var paths: Set<String> = ["/", "/v2", "/v2/", "/v2/apps/", "//v2//apps//", "/V2/apps", "/v2/apps/:appId"]
        for (index, operation) in operations.enumerated() {
            var sample = index
            let components = operation.path.split(separator: "/").map { component -> String in
                guard component.hasPrefix(":") else { return String(component) }
                sample += 1
                return samples[sample % samples.count]
            }
            let path = "/" + components.joined(separator: "/")
            paths.formUnion([
                path, path + "/", "/" + path, path.replacingOccurrences(of: "/", with: "//"), path + "/extra",
                "/" + components.dropLast().joined(separator: "/"), path.uppercased(), String(path.dropLast()),
            ])
        }
        return paths.sorted()
    }

    @Test("Every method on paths near every template finds the same operation and parameters in both")
    func agreesWithHummingbird() async throws {
        var operations = PathMatcher<Operation>()
        let router = Router()
        for operation in Self.operations {
            operations.add(operation.path, method: operation.method, value: operation)
            router.on(RouterPath(operation.path), method: operation.method) { _, context in
                Self.describe(operation) { context.parameters.get($0) }
            }
        }
        let paths = Self.requestPaths()
        let matcher = operations
        let matched = try await Application(router: router).test(.router) { client in
            var matched = 0
            for path in paths {
                for method in Self.methods {
                    let ours = matcher.match(path, method: method).map { operation, parameters in
                        Self.describe(operation) { parameters[$0] }
                    }
                    let theirs = try await client.execute(uri: path, method: method) { response in
                        response.status == .ok ? String(buffer: response.body) : nil
                    }
                    #expect(ours == theirs, "\(method) \(path)")
                    if ours != nil { matched += 1 }
                }
            }
            return matched
        }
        // The comparison means something only if many paths do match.
        #expect(matched >= Self.operations.count * 4)
    }

    @Test("A parameter's value is the path's text as sent, not decoded")
    func parameterValues() {
        var matcher = PathMatcher<String>()
        matcher.add("/v2/apps/:appId/users/:userIdOrExternalId", method: .get, value: "GetUser")
        let found = matcher.match("/v2/apps/5f8e0a1b2c3d4e5f60718293/users/ana%40example.com", method: .get)
        #expect(found?.value == "GetUser")
        #expect(found?.parameters["appId"] == "5f8e0a1b2c3d4e5f60718293")
        #expect(found?.parameters["userIdOrExternalId"] == "ana%40example.com")
        #expect(found?.parameters["conversationId"] == nil)
        #expect(matcher.match("/v2/apps/5f8e0a1b2c3d4e5f60718293/users/ana", method: .delete) == nil)
    }

    @Test("A path with more components than the matcher holds goes on to the router")
    func longPaths() {
        var matcher = PathMatcher<String>()
        let template = "/" + (1...PathMatcher<String>.maximumComponents).map { "c\($0)" }.joined(separator: "/")
        matcher.add(template, method: .get, value: "longest")
        #expect(matcher.match(template, method: .get)?.value == "longest")
        #expect(matcher.match(template + "/more", method: .get) == nil)
    }
}
