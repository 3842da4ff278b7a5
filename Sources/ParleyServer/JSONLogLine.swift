import Foundation
import Logging
import ParleyDomain
import ParleyWire

/// A log line as one JSON object: `time` (the API's datetime form), `level`, `label`, `message`,
/// then the metadata, each value as text (a list or a dictionary as JSON of texts), with the
/// request's id as `requestId` and `source` when it is not the label's.
enum JSONLogLine {
    static func render(_ event: LogEvent, label: String, metadata: Logger.Metadata, at time: Timestamp) -> String {
        var object: [String: JSONValue] = [
            "time": .string(time.iso8601), "level": .string(event.level.rawValue), "label": .string(label),
            "message": .string("\(event.message)"),
        ]
        for (key, value) in metadata {
            let name = key == "hb.request.id" ? "requestId" : key
            guard object[name] == nil else { continue }
            object[name] = json(value)
        }
        if event.source != label, object["source"] == nil { object["source"] = .string(event.source) }
        return (try? JSONWriter.string(.object(object))) ?? #"{"message":"unrenderable log line"}"#
    }

    private static func json(_ value: Logger.MetadataValue) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let values): .object(values.mapValues(json))
        }
    }
}
