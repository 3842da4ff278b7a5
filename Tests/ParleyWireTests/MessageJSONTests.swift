import Foundation
import ParleyDomain
import ParleyWire
import Testing

/// `MessageAuthor.json` and `MessageSource.json` replace `JSONEncoder` for the stored columns: the
/// bytes must be what the types' own `Encodable` conformances write, for every combination of
/// present and absent fields, and must decode back to the same value.
@Suite("Message JSON")
struct MessageJSONTests {
    static func encoded(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decoded<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    @Test("Every author, with each optional field present or absent, is written as Encodable writes it")
    func authors() throws {
        for mask in 0..<32 {
            func has(_ bit: Int) -> Bool { mask & (1 << bit) != 0 }
            let author = MessageAuthor(
                type: has(0) ? .user : .business, subtypes: has(1) ? ["AI"] : nil, userId: has(2) ? "5f1a2b3c4d5e6f7a8b9c0d1e" : nil,
                displayName: has(3) ? "Ann \"the agent\" / ✓" : nil, avatarUrl: has(4) ? "https://example.com/a.png" : nil)
            let written = try JSONWriter.string(author.json)
            #expect(written == (try Self.encoded(author)))
            #expect(try Self.decoded(MessageAuthor.self, written) == author)
        }
    }

    @Test("Every source is written as Encodable writes it")
    func sources() throws {
        for mask in 0..<4 {
            let source = MessageSource(
                type: "mailgun", integrationId: mask & 1 != 0 ? "5f1a2b3c4d5e6f7a8b9c0d1e" : nil,
                originalMessageId: mask & 2 != 0 ? "<abc@example.com>" : nil)
            let written = try JSONWriter.string(source.json)
            #expect(written == (try Self.encoded(source)))
            #expect(try Self.decoded(MessageSource.self, written) == source)
        }
    }

    @Test("A message shows id, received, author, content, source and metadata when set, and nothing it keeps private")
    func message() throws {
        let id = ResourceID("5f1a2b3c4d5e6f7a8b9c0d1e")!
        var message = Message(
            id: id, conversationId: id, received: Timestamp(millisecondsSince1970: 1_700_000_000_123),
            author: MessageAuthor(type: .business), content: .object(["type": .string("text"), "text": .string("hi")]),
            source: .api, destination: .object(["integrationType": .string("none")]), externalKey: "private")
        #expect(try JSONWriter.string(message.json) == """
            {"author":{"type":"business"},"content":{"text":"hi","type":"text"},"id":"5f1a2b3c4d5e6f7a8b9c0d1e",\
            "received":"2023-11-14T22:13:20.123Z","source":{"type":"api:conversations"}}
            """)
        message.metadata = Metadata(["lang": .string("en")])
        guard case .object(let fields) = message.json else { Issue.record("not an object"); return }
        #expect(fields["metadata"] == .object(["lang": .string("en")]))
    }
}
