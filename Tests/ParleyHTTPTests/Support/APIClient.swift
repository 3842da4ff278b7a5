import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

struct Credentials: Sendable {
    var id: String
    var secret: String

    var basic: String { "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString() }
}

/// A small JSON client over Hummingbird's in-process test client.
struct APIClient: Sendable {
    let client: any TestClientProtocol
    /// The default credentials; `authorization:` on a call overrides them.
    var credentials: Credentials
    /// The server's clock and dispatchers, for tests about what happens later.
    let server: ServerControl

    func as_(_ credentials: Credentials) -> APIClient {
        APIClient(client: client, credentials: credentials, server: server)
    }

    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ path: String, json: Any? = nil, body: String? = nil, bytes: [UInt8]? = nil,
        contentType: String? = "application/json", authorization: String? = nil, anonymous: Bool = false, headers extra: [String: String] = [:]
    ) async throws -> APIResponse {
        var headers: HTTPFields = [:]
        for (name, value) in extra { if let name = HTTPField.Name(name) { headers[name] = value } }
        if !anonymous { headers[.authorization] = authorization ?? credentials.basic }
        var buffer: ByteBuffer?
        if let json {
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        } else if let body {
            buffer = ByteBuffer(string: body)
        } else if let bytes {
            buffer = ByteBuffer(bytes: bytes)
        }
        if buffer != nil, let contentType { headers[.contentType] = contentType }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: buffer)
        return APIResponse(status: Int(response.status.code), headers: response.headers, body: Data(buffer: response.body))
    }

    func get(_ path: String) async throws -> APIResponse { try await call(.get, path) }
    func post(_ path: String, _ json: Any) async throws -> APIResponse { try await call(.post, path, json: json) }
    func patch(_ path: String, _ json: Any) async throws -> APIResponse { try await call(.patch, path, json: json) }
    func delete(_ path: String) async throws -> APIResponse { try await call(.delete, path) }

    // Fixtures used by many tests.

    func createApp(_ name: String = "Test App") async throws -> String {
        let response = try await post("/v2/apps", ["displayName": name])
        guard response.status == 201, let id = response.object["app"]?["id"] as? String else {
            throw FixtureError("createApp: \(response.status) \(response.text)")
        }
        return id
    }

    func createAppKey(appId: String) async throws -> Credentials {
        let response = try await post("/v2/apps/\(appId)/keys", ["displayName": "test key"])
        guard response.status == 201, let key = response.object["key"], let id = key["id"] as? String,
            let secret = key["secret"] as? String
        else { throw FixtureError("createAppKey: \(response.status) \(response.text)") }
        return Credentials(id: id, secret: secret)
    }

    /// A personal conversation for a new user with this externalId; returns the conversation id.
    func createPersonalConversation(appId: String, externalId: String) async throws -> String {
        _ = try await createUser(appId: appId, ["externalId": externalId])
        let response = try await post("/v2/apps/\(appId)/conversations", ["type": "personal", "participants": [["userExternalId": externalId]]])
        guard response.status == 201, let id = response.object["conversation"]?["id"] as? String else {
            throw FixtureError("createConversation: \(response.status) \(response.text)")
        }
        return id
    }

    func postText(appId: String, conversationId: String, _ text: String, author: [String: Any] = ["type": "business"]) async throws -> APIResponse {
        try await post(
            "/v2/apps/\(appId)/conversations/\(conversationId)/messages", ["author": author, "content": ["type": "text", "text": text]])
    }

    func createUser(appId: String, _ body: [String: Any] = [:]) async throws -> [String: Any] {
        let response = try await post("/v2/apps/\(appId)/users", body)
        guard response.status == 201, let user = response.object["user"] else {
            throw FixtureError("createUser: \(response.status) \(response.text)")
        }
        return user
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

struct APIResponse: Sendable {
    let status: Int
    let headers: HTTPFields
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The top-level object, each member as a dictionary where it is one.
    var object: [String: [String: Any]] {
        json.compactMapValues { $0 as? [String: Any] }
    }

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    func list(_ key: String) -> [[String: Any]] {
        json[key] as? [[String: Any]] ?? []
    }

    var errorTitle: String {
        (json["errors"] as? [[String: Any]])?.first?["title"] as? String ?? ""
    }

    /// The `code` of the first error in the envelope, checking the envelope's shape on the way.
    var errorCode: String? {
        guard let errors = json["errors"] as? [[String: Any]], let first = errors.first,
            first["title"] is String
        else { return nil }
        return first["code"] as? String
    }
}
