import Foundation
import ParleyDomain
import Testing

/// UploadAttachment, serving every `mediaUrl`, and DeleteAttachment.
@Suite("Attachments")
struct AttachmentsTests {
    static let boundary = "----parley-test-boundary"

    /// A multipart body with `source` (and any other fields first).
    static func multipart(file: [UInt8], fileName: String, type: String?, fields: [(String, String)] = []) -> [UInt8] {
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"source\"; filename=\"\(fileName)\"\r\n".utf8)
        if let type { body += Array("Content-Type: \(type)\r\n".utf8) }
        return body + Array("\r\n".utf8) + file + Array("\r\n--\(boundary)--\r\n".utf8)
    }

    static func upload(
        _ api: APIClient, appId: String, file: [UInt8], fileName: String = "photo.png", type: String? = "image/png", query: String = "access=public"
    ) async throws -> APIResponse {
        try await api.call(
            .post, "/v2/apps/\(appId)/attachments?\(query)", bytes: multipart(file: file, fileName: fileName, type: type),
            contentType: "multipart/form-data; boundary=\(boundary)")
    }

    static func path(_ mediaUrl: String) -> String { String(mediaUrl.dropFirst("http://parley.test".count)) }

    @Test("Upload, then the mediaUrl serves the bytes with type, length, ETag, nosniff; ranges, 304, HEAD")
    func uploadAndServe() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let file = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let uploaded = try await Self.upload(api, appId: appId, file: file, fileName: "My photo (1).png")
            #expect(uploaded.status == 201, "\(uploaded.text)")
            let attachment = try #require(uploaded.object["attachment"])
            let mediaUrl = try #require(attachment["mediaUrl"] as? String)
            #expect(attachment["mediaType"] as? String == "image/png")
            let pattern = /http:\/\/parley\.test\/attachments\/[0-9a-f]{32}\/My_photo__1_\.png/
            #expect(mediaUrl.wholeMatch(of: pattern) != nil, "\(mediaUrl)")

            let served = try await api.call(.get, Self.path(mediaUrl), anonymous: true)
            #expect(served.status == 200)
            #expect(Array(served.body) == file)
            #expect(served.headers[.contentType] == "image/png")
            #expect(served.headers[.contentLength] == "70000")
            #expect(served.headers[.xContentTypeOptions] == "nosniff")
            #expect(served.headers[.contentDisposition]?.hasPrefix("inline") == true)
            let etag = try #require(served.headers[.eTag])
            #expect(etag.count == 66)

            let part = try await api.call(.get, Self.path(mediaUrl), anonymous: true, headers: ["Range": "bytes=100-199"])
            #expect(part.status == 206)
            #expect(Array(part.body) == Array(file[100..<200]))
            #expect(part.headers[.contentRange] == "bytes 100-199/70000")
            let tail = try await api.call(.get, Self.path(mediaUrl), anonymous: true, headers: ["Range": "bytes=-10"])
            #expect(Array(tail.body) == Array(file.suffix(10)))
            let beyond = try await api.call(.get, Self.path(mediaUrl), anonymous: true, headers: ["Range": "bytes=70000-"])
            #expect(beyond.status == 416)
            #expect(beyond.headers[.contentRange] == "bytes */70000")
            // A stale If-Range sends the whole file; a matching If-None-Match sends nothing.
            #expect(try await api.call(.get, Self.path(mediaUrl), anonymous: true, headers: ["Range": "bytes=0-1", "If-Range": "\"old\""]).status == 200)
            #expect(try await api.call(.get, Self.path(mediaUrl), anonymous: true, headers: ["If-None-Match": etag]).status == 304)
            let head = try await api.call(.head, Self.path(mediaUrl), anonymous: true)
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.headers[.contentLength] == "70000")
            // Another name or token is nothing.
            #expect(try await api.call(.get, Self.path(mediaUrl).replacingOccurrences(of: "My_photo", with: "Other"), anonymous: true).status == 404)
            #expect(try await api.call(.get, "/attachments/\(String(repeating: "0", count: 32))/x.png", anonymous: true).status == 404)
        }
    }

    @Test("What a browser could run is served as a download, never inline")
    func activeContent() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            for (name, type) in [("page.html", "text/html"), ("logo.svg", "image/svg+xml"), ("script.html", nil as String?)] {
                let uploaded = try await Self.upload(api, appId: appId, file: Array("<script>alert(1)</script>".utf8), fileName: name, type: type)
                #expect(uploaded.status == 201, "\(name): \(uploaded.text)")
                let mediaUrl = try #require(uploaded.object["attachment"]?["mediaUrl"] as? String)
                let served = try await api.call(.get, Self.path(mediaUrl), anonymous: true)
                #expect(served.headers[.contentDisposition]?.hasPrefix("attachment") == true, "\(name)")
                #expect(served.headers[.xContentTypeOptions] == "nosniff")
            }
        }
    }

    @Test("Refused: the query's rules, types not allowed, over the limit (413), not multipart, no source, a broken body")
    func refusals() async throws {
        try await TestServer.run(attachmentRules: AttachmentRules(maximumBytes: 1000, mediaTypes: ["image/*"])) { api in
            let appId = try await api.createApp()
            let small: [UInt8] = Array(repeating: 7, count: 10)
            for query in ["", "access=private", "access=public&for=user", "access=public&conversationId=ffffffffffffffffffffffff",
                          "access=public&for=message&conversationId=ffffffffffffffffffffffff"] {
                let response = try await Self.upload(api, appId: appId, file: small, query: query)
                #expect(response.status == 400, "\(query): \(response.text)")
            }
            let pdf = try await Self.upload(api, appId: appId, file: small, fileName: "a.pdf", type: "application/pdf")
            #expect(pdf.status == 400)
            #expect(pdf.errorTitle.contains("application/pdf"))
            let large = try await Self.upload(api, appId: appId, file: Array(repeating: 1, count: 1001))
            #expect(large.status == 413)
            #expect(large.errorCode == "payload_too_large")
            #expect(try await Self.upload(api, appId: appId, file: Array(repeating: 1, count: 1000)).status == 201)
            let json = try await api.post("/v2/apps/\(appId)/attachments?access=public", ["source": "x"])
            #expect(json.status == 415)
            // No body at all is the client's omission, as for JSON operations.
            let nothing = try await api.call(.post, "/v2/apps/\(appId)/attachments?access=public", contentType: nil)
            #expect(nothing.status == 400)
            let noSource = try await api.call(
                .post, "/v2/apps/\(appId)/attachments?access=public", body: "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\r\n--b--",
                contentType: "multipart/form-data; boundary=b")
            #expect(noSource.status == 400)
            let cut = try await api.call(
                .post, "/v2/apps/\(appId)/attachments?access=public",
                body: "--b\r\nContent-Disposition: form-data; name=\"source\"; filename=\"a.png\"\r\n\r\nbytes", contentType: "multipart/form-data; boundary=b")
            #expect(cut.status == 400)
            // with a conversation of the app
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "steve")
            #expect(try await Self.upload(api, appId: appId, file: small, query: "access=public&for=message&conversationId=\(conversationId)").status == 201)
            #expect(try await Self.upload(api, appId: appId, file: small, query: "access=public&conversationId=\(conversationId)").status == 201)
        }
    }

    @Test("DeleteAttachment: gone at once; another host 400, an unknown attachment or another app's 404")
    func delete() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let uploaded = try await Self.upload(api, appId: appId, file: Array("hello".utf8), fileName: "a.txt", type: "text/plain")
            let mediaUrl = try #require(uploaded.object["attachment"]?["mediaUrl"] as? String)
            let remove = "/v2/apps/\(appId)/attachments/remove"
            let foreign = try await api.post(remove, ["mediaUrl": "https://cdn.example.com/attachments/\(String(repeating: "a", count: 32))/a.txt"])
            #expect(foreign.status == 400)
            let unknown = try await api.post(remove, ["mediaUrl": "http://parley.test/attachments/\(String(repeating: "a", count: 32))/a.txt"])
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == "not_found")
            let otherApp = try await api.createApp("Other")
            #expect(try await api.post("/v2/apps/\(otherApp)/attachments/remove", ["mediaUrl": mediaUrl]).status == 404)
            #expect(try await api.call(.get, Self.path(mediaUrl), anonymous: true).status == 200)
            let removed = try await api.post(remove, ["mediaUrl": mediaUrl])
            #expect(removed.status == 200)
            #expect(removed.text == "{}")
            #expect(try await api.call(.get, Self.path(mediaUrl), anonymous: true).status == 404)
            #expect(try await api.post(remove, ["mediaUrl": mediaUrl]).status == 404)
            #expect(try await api.post(remove, [String: Any]()).status == 400)
        }
    }
}
