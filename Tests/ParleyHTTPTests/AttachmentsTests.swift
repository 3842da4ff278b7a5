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

    /// Uploads `name` and answers its `mediaUrl`.
    static func mediaUrl(_ api: APIClient, appId: String, _ name: String, query: String = "access=public&for=message") async throws -> String {
        let uploaded = try await upload(api, appId: appId, file: Array("bytes of \(name)".utf8), fileName: name, type: nil, query: query)
        return try #require(uploaded.object["attachment"]?["mediaUrl"] as? String, "\(uploaded.text)")
    }

    /// Posts an image message carrying `mediaUrl`, by the user `externalId` or the business.
    static func postImage(_ api: APIClient, appId: String, _ conversationId: String, _ mediaUrl: String, by externalId: String? = nil) async throws
        -> [String: Any]
    {
        let author: [String: Any] = externalId.map { ["type": "user", "userExternalId": $0] } ?? ["type": "business"]
        let posted = try await api.post(
            "/v2/apps/\(appId)/conversations/\(conversationId)/messages", ["author": author, "content": ["type": "image", "mediaUrl": mediaUrl]])
        #expect(posted.status == 201, "\(posted.text)")
        return try #require(posted.list("messages").first?["content"] as? [String: Any])
    }

    static func served(_ api: APIClient, _ mediaUrl: String) async throws -> Int {
        try await api.call(.get, path(mediaUrl), anonymous: true).status
    }

    @Test("An image or file message with a Parley mediaUrl gets the stored mediaSize and mediaType; another's media gets none")
    func mediaSizeAndType() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let conversationId = try await api.createPersonalConversation(appId: appId, externalId: "steve")
            let mediaUrl = try await Self.mediaUrl(api, appId: appId, "report.pdf", query: "access=public")
            let content = try await Self.postImage(api, appId: appId, conversationId, mediaUrl)
            #expect(content["mediaSize"] as? Int == "bytes of report.pdf".utf8.count)
            #expect(content["mediaType"] as? String == "application/pdf")
            let listed = try await api.get("/v2/apps/\(appId)/conversations/\(conversationId)/messages").list("messages").first?["content"]
            #expect((listed as? [String: Any])?["mediaSize"] as? Int == "bytes of report.pdf".utf8.count)
            let foreign = try await Self.postImage(api, appId: appId, conversationId, "https://cdn.example.com/attachments/\(String(repeating: "a", count: 32))/x.png")
            #expect(foreign["mediaSize"] == nil && foreign["mediaType"] == nil)
            // Another app's attachment is not this app's to describe.
            let other = try await api.createApp("Other")
            let othersUrl = try await Self.mediaUrl(api, appId: other, "other.png")
            #expect(try await Self.postImage(api, appId: appId, conversationId, othersUrl)["mediaSize"] == nil)
        }
    }

    @Test("Uploads for=message go with their messages, conversation, user and the user's personal information; other uploads stay")
    func deletedWithWhatUsesThem() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let first = try await api.createPersonalConversation(appId: appId, externalId: "ann")
            let kept = try await Self.mediaUrl(api, appId: appId, "kept.png", query: "access=public")
            let inMessage = try await Self.mediaUrl(api, appId: appId, "message.png")
            _ = try await Self.postImage(api, appId: appId, first, inMessage, by: "ann")
            _ = try await Self.postImage(api, appId: appId, first, kept, by: "ann")
            #expect(try await Self.served(api, inMessage) == 200)
            #expect(try await api.delete("/v2/apps/\(appId)/conversations/\(first)/messages").status == 200)
            #expect(try await Self.served(api, inMessage) == 404)
            #expect(try await Self.served(api, kept) == 200)

            // Linked by conversationId and never used; and used by a message: both go with the conversation.
            // (A personal conversation is deleted only with its user: this one is a group's.)
            let group = try await api.post("/v2/apps/\(appId)/conversations", ["type": "sdkGroup"])
            let second = try #require(group.object["conversation"]?["id"] as? String, "\(group.text)")
            let linked = try await Self.mediaUrl(api, appId: appId, "linked.png", query: "access=public&for=message&conversationId=\(second)")
            let used = try await Self.mediaUrl(api, appId: appId, "used.png")
            _ = try await Self.postImage(api, appId: appId, second, used)
            let deleted = try await api.delete("/v2/apps/\(appId)/conversations/\(second)")
            #expect(deleted.status == 200, "\(deleted.text)")
            #expect(try await Self.served(api, linked) == 404)
            #expect(try await Self.served(api, used) == 404)

            // The user's personal information: what they sent goes, what the business sent stays.
            let third = try await api.createPersonalConversation(appId: appId, externalId: "cid")
            let sent = try await Self.mediaUrl(api, appId: appId, "sent.png")
            let answered = try await Self.mediaUrl(api, appId: appId, "answered.png")
            _ = try await Self.postImage(api, appId: appId, third, sent, by: "cid")
            _ = try await Self.postImage(api, appId: appId, third, answered)
            #expect(try await api.delete("/v2/apps/\(appId)/users/cid/personalinformation").status == 200)
            #expect(try await Self.served(api, sent) == 404)
            #expect(try await Self.served(api, answered) == 200)
            let messages = try await api.get("/v2/apps/\(appId)/conversations/\(third)/messages").list("messages")
            #expect(messages.count == 2, "the messages stay; only the files go")

            // The user: their personal conversation, with everything in it.
            #expect(try await api.delete("/v2/apps/\(appId)/users/cid").status == 200)
            #expect(try await api.get("/v2/apps/\(appId)/conversations/\(third)").status == 404)
            #expect(try await Self.served(api, answered) == 404)
            #expect(try await Self.served(api, kept) == 200)
        }
    }
}
