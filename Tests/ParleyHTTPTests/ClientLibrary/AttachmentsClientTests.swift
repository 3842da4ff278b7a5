import Foundation
import ParleyClient
import Testing

extension ClientLibraryTests {
    @Suite("Client library: attachments")
    struct AttachmentsClientTests {
        @Test("UploadAttachment sends the bytes as multipart with file name and type; the URL serves them; DeleteAttachment removes it")
        func uploadAndRemove() async throws {
            try await ClientLibrary.run { client, api in
                let (appId, _) = try await ClientLibrary.app(client)
                let bytes = (0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
                let attachment = try await client.attachments.upload(appId: appId, bytes: bytes, fileName: "Report \"Q1\".pdf", contentType: "application/pdf")
                #expect(attachment.mediaType == "application/pdf")
                let pattern = /http:\/\/parley\.test\/attachments\/[0-9a-f]{32}\/Report__Q1_\.pdf/
                #expect(attachment.mediaUrl.wholeMatch(of: pattern) != nil, "\(attachment.mediaUrl)")

                let path = String(attachment.mediaUrl.dropFirst("http://parley.test".count))
                let served = try await api.call(.get, path, anonymous: true)
                #expect(served.status == 200)
                #expect(Array(served.body) == bytes)

                // Used by a message, the server knows its size and type.
                let user = try await client.users.create(appId: appId, UserCreate(externalId: "steve"))
                let conversation = try await client.conversations.create(appId: appId, .personal(.userId(user.id)))
                let image = try await client.attachments.upload(
                    appId: appId, bytes: [0x89, 0x50, 0x4E, 0x47], fileName: "dot.png", contentType: "image/png", for: .message, conversationId: conversation.id)
                let posted = try await client.messages.post(
                    appId: appId, conversationId: conversation.id, MessagePost(author: .business(), content: .image(ImageContent(mediaUrl: image.mediaUrl))))
                guard case .image(let content) = posted.first?.content else { Issue.record("not an image"); return }
                #expect(content.mediaType == "image/png" && content.mediaSize == 4)

                try await client.attachments.remove(appId: appId, mediaUrl: attachment.mediaUrl)
                #expect(try await api.call(.get, path, anonymous: true).status == 404)
                let again = await ClientLibrary.error { try await client.attachments.remove(appId: appId, mediaUrl: attachment.mediaUrl) }
                #expect(again?.status == 404 && again?.code == "not_found")
                let refused = await ClientLibrary.error {
                    _ = try await client.attachments.upload(appId: appId, bytes: [1, 2, 3], fileName: "tool.exe", contentType: "application/x-msdownload")
                }
                #expect(refused?.status == 400)
            }
        }
    }
}
