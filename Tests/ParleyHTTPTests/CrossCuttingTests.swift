import Foundation
import HTTPTypes
import ParleyHTTP
import Testing

@Suite("Rules every route shares")
struct CrossCuttingTests {
    @Test("Unknown route is 404, wrong method 405 with Allow, unimplemented operation 501 — all in the envelope")
    func routingErrors() async throws {
        try await TestServer.run { api in
            let unknown = try await api.get("/v2/nothing-here")
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == "not_found")

            let wrongMethod = try await api.call(.put, "/v2/apps", json: [:])
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.errorCode == "method_not_allowed")
            #expect(wrongMethod.headers[.allow] == "GET, HEAD, POST")
            for method in [HTTPRequest.Method.options, .trace, HTTPRequest.Method("QUERY")!] {
                #expect(try await api.call(method, "/v2/apps").status == 405, "\(method)")
            }
            let head = try await api.call(.head, "/v2/apps")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)

            let appId = try await api.createApp()
            // HEAD is Hummingbird's router's, which hands the GET handler the same parameters.
            let headApp = try await api.call(.head, "/v2/apps/\(appId)")
            #expect(headApp.status == 200)
            #expect(headApp.body.isEmpty)
            // Doubled and trailing slashes change nothing, on either path through the routing.
            #expect(try await api.get("//v2/apps//\(appId)/").status == 200)
            #expect(try await api.call(.head, "//v2/apps//\(appId)/").status == 200)
            // Every one of the spec's 68 operations has a handler: none answers 501, whatever it is sent.
            #expect(ParleyHTTP.Operation.all.count == 68)
            for operation in ParleyHTTP.Operation.all {
                let path = operation.path.split(separator: "/").map { $0.hasPrefix(":") ? ($0 == ":appId" ? appId : "0123456789abcdef01234567") : String($0) }
                    .joined(separator: "/")
                let answered = try await api.call(operation.method, "/" + path, json: [:])
                #expect(answered.status != 501, "\(operation.id): \(answered.text)")
            }
        }
    }

    @Test("Malformed JSON or a missing body is 400, a non-JSON content type 415, a body over 100 kB 413")
    func bodyErrors() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            for (method, path) in [
                (HTTPRequest.Method.post, "/v2/apps"), (.patch, "/v2/apps/\(appId)"), (.post, "/v2/apps/\(appId)/keys"),
                (.post, "/v2/apps/\(appId)/users"),
            ] {
                let missing = try await api.call(method, path, contentType: nil)
                #expect(missing.status == 400, "\(method) \(path)")
                #expect(missing.errorCode == "bad_request")
            }

            let malformed = try await api.call(.post, "/v2/apps", body: "{\"displayName\": ")
            #expect(malformed.status == 400)
            #expect(malformed.errorCode == "bad_request")

            let notAnObject = try await api.call(.post, "/v2/apps", body: "[1, 2]")
            #expect(notAnObject.status == 400)

            let wrongType = try await api.call(.post, "/v2/apps", body: "displayName=x", contentType: "application/x-www-form-urlencoded")
            #expect(wrongType.status == 415)
            #expect(wrongType.errorCode == "unsupported_media_type")

            let noType = try await api.call(.post, "/v2/apps", body: "{\"displayName\":\"x\"}", contentType: nil)
            #expect(noType.status == 415)

            let huge = "{\"displayName\":\"x\",\"metadata\":{\"k\":\"" + String(repeating: "a", count: 110_000) + "\"}}"
            let tooLarge = try await api.call(.post, "/v2/apps", body: huge)
            #expect(tooLarge.status == 413)
            #expect(tooLarge.errorCode == "payload_too_large")
        }
    }

    @Test("GET /healthz answers 200 without credentials")
    func health() async throws {
        try await TestServer.run { api throws in
            #expect(try await api.call(.get, "/healthz", anonymous: true).status == 200)
        }
    }

    @Test("ListApps pages forwards and backwards over 63 apps with cursors and links")
    func pagination() async throws {
        try await TestServer.run { api in
            var created: [String] = []
            for index in 0..<63 { created.append(try await api.createApp("App \(index)")) }

            // Forwards with the default size of 25: 25, 25, 13.
            var seen: [String] = []
            var path = "/v2/apps"
            var pages = 0
            while true {
                let response = try await api.get(path)
                #expect(response.status == 200)
                let meta = try #require(response.object["meta"])
                let links = try #require(response.object["links"])
                seen += response.list("apps").compactMap { $0["id"] as? String }
                pages += 1
                if pages > 1 { #expect(meta["beforeCursor"] as? String != nil && links["prev"] as? String != nil) }
                guard meta["hasMore"] as? Bool == true else {
                    #expect(meta["afterCursor"] == nil && links["next"] == nil)
                    break
                }
                let after = try #require(meta["afterCursor"] as? String)
                #expect(links["next"] as? String == "http://parley.test/v2/apps?page[after]=\(after)")
                path = "/v2/apps?page[after]=\(after)"
            }
            #expect(pages == 3)
            #expect(seen == created)

            // Backwards from the end with page[size]=10, encoded as HTTP clients send it.
            var backwards: [String] = []
            var before = created.last!
            backwards.append(before)
            while true {
                let response = try await api.get("/v2/apps?page%5Bbefore%5D=\(before)&page%5Bsize%5D=10")
                let ids = response.list("apps").compactMap { $0["id"] as? String }
                #expect(ids.count <= 10)
                backwards = ids + backwards
                let meta = try #require(response.object["meta"])
                #expect(meta["afterCursor"] as? String == ids.last)
                guard meta["hasMore"] as? Bool == true else { break }
                before = try #require(meta["beforeCursor"] as? String)
                #expect((response.object["links"]?["prev"] as? String)?.hasSuffix("page[before]=\(before)&page[size]=10") == true)
            }
            #expect(backwards == created)
        }
    }

    @Test("Bad page parameters are 400", arguments: [
        "page[size]=0", "page[size]=101", "page[size]=ten", "page[after]=short", "page[before]=zzzzzzzzzzzzzzzzzzzzzzzz",
        "page[after]=0123456789abcdef01234567&page[before]=0123456789abcdef01234567",
    ])
    func badPageParameters(query: String) async throws {
        try await TestServer.run { api in
            let response = try await api.get("/v2/apps?\(query)")
            #expect(response.status == 400)
            #expect(response.errorCode == "bad_request")
        }
    }

    @Test("Data survives a restart on the same database file")
    func restart() async throws {
        let path = TestServer.temporaryDatabasePath()
        let ids = IDBox()
        try await TestServer.run(databasePath: path) { api in
            let appId = try await api.createApp("Durable")
            let key = try await api.createAppKey(appId: appId)
            _ = try await api.createUser(appId: appId, ["externalId": "erin"])
            await ids.set(appId, key)
        }
        let (appId, key) = await ids.get()
        try await TestServer.run(databasePath: path) { api throws in
            #expect(try await api.get("/v2/apps/\(appId)").object["app"]?["displayName"] as? String == "Durable")
            // The app key still authenticates: its secret was sealed with the same server key.
            #expect(try await api.as_(key).get("/v2/apps/\(appId)/users/erin").status == 200)
            #expect(try await api.get("/v2/apps/\(appId)/keys/\(key.id)").object["key"]?["secret"] as? String == key.secret)
        }
    }
}

actor IDBox {
    private var appId = ""
    private var key = Credentials(id: "", secret: "")
    func set(_ appId: String, _ key: Credentials) {
        self.appId = appId
        self.key = key
    }
    func get() -> (String, Credentials) { (appId, key) }
}
