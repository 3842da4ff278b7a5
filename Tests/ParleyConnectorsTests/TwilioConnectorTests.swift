import Testing

@testable import ParleyConnectors

@Suite("Twilio connector")
struct TwilioConnectorTests {
    @Test("A Parley attachment goes as MediaUrl up to Twilio's limit for its type (5 MB for JPEG, PNG, GIF; 500 kB else), beyond it as a link")
    func mediaLimits() {
        func sent(_ type: String, size: Int) -> [(String, String)] {
            TwilioConnector.content(["text": "t", "mediaUrl": "http://parley.test/attachments/x/a", "mediaType": type, "mediaSize": String(size)])
        }
        for type in ["image/jpeg", "image/png", "image/gif"] {
            #expect(sent(type, size: 5 * 1024 * 1024).contains { $0.0 == "MediaUrl" }, "\(type)")
            #expect(sent(type, size: 5 * 1024 * 1024 + 1).map(\.0) == ["Body"], "\(type)")
        }
        #expect(sent("application/pdf", size: 500 * 1024).contains { $0.0 == "MediaUrl" })
        #expect(sent("image/webp", size: 500 * 1024 + 1).map(\.0) == ["Body"])
        #expect(sent("image/webp", size: 500 * 1024 + 1).first?.1 == "t\n\nhttp://parley.test/attachments/x/a")
        // Media of unknown size (kept elsewhere) always go as MediaUrl.
        #expect(TwilioConnector.content(["mediaUrl": "https://cdn.example.com/a.jpg"]).map(\.0) == ["MediaUrl"])
    }
}
