import Foundation
import Logging
import ParleyDomain
import Synchronization
import Testing

@testable import ParleyServer

/// The server's log handler writes `StreamLogHandler`'s lines but renders metadata only for a
/// line it writes, not each time a request's logger gets its id.
@Suite("Server log handler")
struct ServerLogHandlerTests {
    @Test("Metadata is rendered when a line is written, not when it is set, and the line is StreamLogHandler's")
    func deferredMetadata() {
        let lines = Lines()
        let renders = Renders()
        var logger = Logger(label: "parley") { label in
            ServerLogHandler(label: label) { StreamLogHandler(label: $0, stream: lines, metadataProvider: $1) }
        }
        logger[metadataKey: "hb.request.id"] = .stringConvertible(RenderCounter(renders: renders, text: "42"))
        logger.debug("below the level: not written")
        #expect(renders.count == 0)
        #expect(lines.all.isEmpty)

        logger.info("hello", metadata: ["extra": "1"], source: "Source")
        #expect(renders.count == 1)
        let line = lines.all.first ?? ""
        #expect(line.hasSuffix(" info parley: extra=1 hb.request.id=42 [Source] hello\n"), "\(line)")
    }
}

extension ServerLogHandlerTests {
    @Test("A JSON line holds the time, level, label, message and every metadata value, the request id as requestId")
    func jsonLine() throws {
        let lines = Lines()
        var logger = Logger(label: "parley") { label in
            ServerLogHandler(
                label: label, format: .json, lineOutput: { lines.write($0) }, now: { Timestamp(millisecondsSince1970: 1_800_000_000_123) })
        }
        logger[metadataKey: "hb.request.id"] = "42"
        logger[metadataKey: "operation"] = "GetApp"
        logger.debug("below the level: not written")
        logger.info("GET GetApp 200", metadata: ["ms": "1.5", "list": ["a", "b"], "operation": "PostMessage"], source: "Source")
        #expect(lines.all.count == 1)
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix("}\n") && !line.dropLast().contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["time"] as? String == "2027-01-15T08:00:00.123Z")
        #expect(object["level"] as? String == "info" && object["label"] as? String == "parley" && object["message"] as? String == "GET GetApp 200")
        #expect(object["requestId"] as? String == "42" && object["hb.request.id"] == nil)
        #expect(object["operation"] as? String == "PostMessage", "the line's own metadata wins")
        #expect(object["ms"] as? String == "1.5" && object["list"] as? [String] == ["a", "b"] && object["source"] as? String == "Source")
    }
}

private final class Lines: TextOutputStream, Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func write(_ string: String) { lines.withLock { $0.append(string) } }
}

private final class Renders: Sendable {
    private let value = Mutex(0)
    var count: Int { value.withLock { $0 } }
    func add() { value.withLock { $0 += 1 } }
}

/// A metadata value that counts how often it is turned into text.
private struct RenderCounter: CustomStringConvertible, Sendable {
    let renders: Renders
    let text: String
    var description: String {
        renders.add()
        return text
    }
}
