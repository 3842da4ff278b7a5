import Foundation
import NIOCore
import ParleyDomain
import ParleyWire

/// The parts of MessageBird's answers Parley reads: the accepted message's `id` (at the top, as
/// the SMS API answers `/messages` and the Conversations API `/v1/send`, or under `message`), and
/// the `errors` of a refusal.
struct MessageBirdAnswer {
    var id: String?
    var problem: String?

    init(_ body: ByteBuffer?) {
        guard let body, case .object(let root)? = try? JSONParser.decode(Data(body.readableBytesView)) else { return }
        if case .string(let id)? = root["id"], !id.isEmpty {
            self.id = id
        } else if case .object(let message)? = root["message"], case .string(let id)? = message["id"], !id.isEmpty {
            self.id = id
        }
        if case .array(let errors)? = root["errors"] {
            let described = errors.compactMap { error -> String? in
                guard case .object(let fields) = error else { return nil }
                return Self.describe(code: fields["code"], description: fields["description"], parameter: fields["parameter"])
            }
            if !described.isEmpty { problem = described.joined(separator: "; ") }
        }
    }

    /// "MessageBird error 21: Bad request (to)", from an error object's fields (also a failed
    /// message's `error` in a webhook).
    static func describe(code: JSONValue?, description: JSONValue?, parameter: JSONValue? = nil) -> String? {
        guard case .string(let text)? = description, !text.isEmpty else {
            if case .integer(let code)? = code { return "MessageBird error \(code)" }
            return nil
        }
        var line = if case .integer(let code)? = code { "MessageBird error \(code): \(text)" } else { text }
        if case .string(let parameter)? = parameter, !parameter.isEmpty { line += " (\(parameter))" }
        return line
    }
}
