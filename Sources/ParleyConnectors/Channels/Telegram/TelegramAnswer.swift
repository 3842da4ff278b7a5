import Foundation
import NIOCore
import ParleyDomain
import ParleyWire

/// The Bot API's answer envelope: `{ok: true, result}` or `{ok: false, error_code, description,
/// parameters: {retry_after}}`. A body that is not one reads as a failure without detail.
struct TelegramAnswer {
    var ok = false
    var result: JSONValue?
    var problem: String?
    var retryAfterSeconds: Int?

    init(_ body: ByteBuffer?) {
        guard let body, case .object(let root)? = try? JSONParser.decode(Data(body.readableBytesView)) else { return }
        ok = root["ok"] == .bool(true)
        result = root["result"]
        if case .string(let description)? = root["description"] {
            problem = if case .integer(let code)? = root["error_code"] { "Telegram error \(code): \(description)" } else { description }
        }
        if case .object(let parameters)? = root["parameters"], case .integer(let seconds)? = parameters["retry_after"], (0...86_400).contains(seconds) {
            retryAfterSeconds = Int(seconds)
        }
    }
}
