import ParleyDomain
import ParleyWire
import Synchronization

/// The text of realtime frames (docs/MESSENGER.md). An event goes to every socket following its
/// conversation; its text is made once and shared (a `String` is copied by reference), so ten
/// thousand sockets cost one rendering, not ten thousand.
final class RealtimeFrames: Sendable {
    private struct Key: Hashable {
        var conversationId: ResourceID
        var seq: Int64
    }

    private struct Cache {
        var texts: [Key: String] = [:]
        var order: [Key] = []
    }

    /// Events kept rendered: the latest of every busy conversation at once.
    private let capacity: Int
    private let cache = Mutex(Cache())

    init(capacity: Int = 512) {
        self.capacity = capacity
    }

    func text(_ frame: RealtimeFrame) -> String {
        switch frame {
        case .event(let conversationId, let event):
            let key = Key(conversationId: conversationId, seq: event.seq)
            if let text = cache.withLock({ $0.texts[key] }) { return text }
            let text = Self.write(.object([
                "type": .string("event"), "conversationId": .string(conversationId.rawValue), "seq": .integer(event.seq),
                "event": EventJSON.item(event.event, payload: event.event.payload),
            ]))
            cache.withLock { cache in
                guard cache.texts.updateValue(text, forKey: key) == nil else { return }
                cache.order.append(key)
                if cache.order.count > capacity {
                    let evicted = cache.order.prefix(cache.order.count - capacity)
                    for old in evicted { cache.texts[old] = nil }
                    cache.order.removeFirst(evicted.count)
                }
            }
            return text
        case .subscribed(let conversationId, let seq):
            return Self.write(.object(["type": .string("subscribed"), "conversationId": .string(conversationId.rawValue), "seq": .integer(seq)]))
        case .notice(let notice):
            return Self.write(.object([
                "type": .string("notice"), "conversationId": .string(notice.conversationId.rawValue), "seq": .integer(notice.seq),
                "eventType": .string(notice.type.rawValue),
            ]))
        }
    }

    static func error(_ error: ParleyError) -> String {
        write(.object(["type": .string("error"), "code": .string(error.code), "title": .string(error.title)]))
    }

    static func write(_ value: JSONValue) -> String {
        var bytes: [UInt8] = []
        // JSONWriter fails only for numbers JSON cannot hold; frames carry none.
        if (try? JSONWriter.write(value, into: &bytes)) == nil { return #"{"type":"error","code":"internal","title":"Unwritable frame"}"# }
        return String(decoding: bytes, as: UTF8.self)
    }
}
