import Foundation
import NIOCore
import ParleyDomain
import ParleyWire

/// A Graph API answer: the JSON object it returned, or its error
/// `{error: {message, type, code, error_subcode, fbtrace_id}}`. A body that is neither reads as a
/// failure without detail.
struct GraphAnswer {
    var status: Int
    var object: [String: JSONValue] = [:]
    var errorCode: Int?
    var errorSubcode: Int?
    var errorMessage: String?

    init(status: Int, body: ByteBuffer?) {
        self.status = status
        guard let body, case .object(let root)? = try? JSONParser.decode(Data(body.readableBytesView)) else { return }
        object = root
        if case .object(let error)? = root["error"] {
            if case .integer(let code)? = error["code"] { errorCode = Int(code) }
            if case .integer(let code)? = error["error_subcode"] { errorSubcode = Int(code) }
            if case .string(let message)? = error["message"] { errorMessage = message }
        }
    }

    var succeeded: Bool { (200..<300).contains(status) && errorCode == nil }

    func text(_ key: String) -> String? {
        if case .string(let value)? = object[key], !value.isEmpty { return value }
        return nil
    }

    /// What Meta said of a refusal, for the job's error and the failure event.
    var problem: String {
        guard let errorMessage else { return "The Graph API answered HTTP \(status) without an error" }
        let code = [errorCode, errorSubcode].compactMap { $0.map(String.init) }.joined(separator: "/")
        return code.isEmpty ? errorMessage : "Graph API error \(code): \(errorMessage)"
    }
}
