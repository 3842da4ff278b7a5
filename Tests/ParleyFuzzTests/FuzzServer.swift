import Foundation
import Hummingbird
import HummingbirdTesting
import ParleyDomain
import ParleyWire
import ParleyServer
import ParleyTestSupport

/// The real composition (`buildApplication`) on a fresh SQLite file, driven in process through
/// Hummingbird's router test client: the few lines of ParleyHTTPTests' TestServer this target
/// needs (a test target cannot import another).
enum FuzzServer {
    static let accountKeyId = "act_0123456789abcdef01234567"
    static let accountSecret = "fuzz-account-secret-that-is-long-enough-for-hs256"
    static var accountBasic: String { basic(accountKeyId, accountSecret) }

    static func basic(_ id: String, _ secret: String) -> String {
        "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
    }

    static func configuration() -> ServerConfiguration {
        ServerConfiguration(
            port: 0, database: .sqlite(path: Scratch.directory("fuzz-http").appendingPathComponent("parley.sqlite").path),
            accountKey: (accountKeyId, accountSecret), serverKey: .bytes([UInt8](repeating: 7, count: 32)), publicBaseURL: "http://parley.test",
            logLevel: .error,
            // Webhooks and channel sends go to a closed loopback port, fail at once, and are not
            // tried again within the test.
            webhookPolicy: RetryPolicy(maxAttempts: 2, baseDelaySeconds: 600, requestTimeoutSeconds: 0.3),
            channelPolicy: RetryPolicy(maxAttempts: 2, baseDelaySeconds: 600, requestTimeoutSeconds: 0.3),
            channelAPIURLs: [
                "mailgun": "http://127.0.0.1:9", "twilio": "http://127.0.0.1:9", "telegram": "http://127.0.0.1:9", "whatsapp": "http://127.0.0.1:9",
                "messenger": "http://127.0.0.1:9", "instagram": "http://127.0.0.1:9", "messagebird": "http://127.0.0.1:9",
            ],
            databaseTimeoutSeconds: 60, databaseConnections: 2, outboundPolicy: OutboundAddressPolicy(allowList: "127.0.0.0/8")!)
    }

    static func run<Value: Sendable>(_ test: @escaping @Sendable (FuzzClient) async throws -> Value) async throws -> Value {
        let app = try await buildApplication(configuration(), announce: { _ in })
        return try await app.test(.router) { client in try await test(FuzzClient(client: client)) }
    }
}

/// One answer: its status and body.
struct FuzzResponse: Sendable {
    let status: Int
    let body: [UInt8]

    var json: JSONValue? { try? JSONParser.decode(Data(body)) }

    /// `{"errors":[{"code": String, "title": String}, …]}` with at least one error.
    var isErrorEnvelope: Bool {
        guard case .object(let root)? = json, case .array(let errors)? = root["errors"], !errors.isEmpty else { return false }
        return errors.allSatisfy { error in
            guard case .object(let fields) = error, case .string(let code)? = fields["code"], case .string? = fields["title"] else { return false }
            return !code.isEmpty
        }
    }

    /// A member of the answer's top-level object, e.g. `app.id`.
    func string(_ path: String...) -> String? {
        var value = json
        for key in path {
            guard case .object(let fields)? = value else { return nil }
            value = fields[key]
        }
        if case .string(let text)? = value { return text }
        return nil
    }
}

struct FuzzClient: Sendable {
    let client: any TestClientProtocol

    func send(
        _ method: HTTPRequest.Method, _ uri: String, body: [UInt8]? = nil, contentType: String? = "application/json",
        authorization: String? = FuzzServer.accountBasic
    ) async throws -> FuzzResponse {
        var headers: HTTPFields = [:]
        if let authorization { headers[.authorization] = authorization }
        if body != nil, let contentType { headers[.contentType] = contentType }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
        return FuzzResponse(status: Int(response.status.code), body: Array(buffer: response.body))
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, json: JSONValue) async throws -> FuzzResponse {
        try await send(method, uri, body: Array(HostileJSON.text(json).utf8))
    }

    /// A fixture call that must succeed.
    func create(_ uri: String, _ json: JSONValue, _ path: String...) async throws -> String {
        let response = try await send(.post, uri, json: json)
        var value = response.json
        for key in path {
            guard case .object(let fields)? = value else { break }
            value = fields[key]
        }
        guard (200..<300).contains(response.status), case .string(let id)? = value else {
            throw FuzzFixtureError(description: "\(uri): \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
        return id
    }
}

struct FuzzFixtureError: Error, CustomStringConvertible {
    let description: String
}

/// Statuses per operation, printed as one line per suite and checked by the caller.
/// `@unchecked Sendable` for the same reason as `FuzzReport`: filled by one task, read after.
final class StatusTally: @unchecked Sendable {
    private(set) var counts: [String: [Int: Int]] = [:]

    func record(_ operation: String, _ status: Int) {
        counts[operation, default: [:]][status, default: 0] += 1
    }

    func summary(_ suite: String) -> String {
        let operations = counts.keys.sorted().map { operation in
            "\(operation) " + counts[operation]!.keys.sorted().map { "\($0)=\(counts[operation]![$0]!)" }.joined(separator: ",")
        }
        return "fuzz \(suite) statuses: " + operations.joined(separator: "; ")
    }

    func total(_ where: (Int) -> Bool) -> Int {
        counts.values.reduce(0) { sum, statuses in sum + statuses.filter { `where`($0.key) }.values.reduce(0, +) }
    }
}
