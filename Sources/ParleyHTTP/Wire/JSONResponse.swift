import Foundation
import Hummingbird
import ParleyDomain
import ParleyWire

/// Encodes response bodies. One encoder configuration for the whole API: sorted keys (stable bytes
/// across runs, which Linux Foundation does not otherwise give), unescaped slashes in URLs.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The same bytes as `make` would write for `value`, through `JSONWriter`: for hot paths whose
    /// answer is already a `JSONValue` (PostMessage).
    static func make(json value: JSONValue, status: HTTPResponse.Status = .ok) throws -> Response {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        try JSONWriter.write(value, into: &bytes)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `value`'s bytes as every answer writes them (an export's lines too).
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// `200 {}`, what every delete and action answers.
    static func empty() throws -> Response {
        try make(EmptyObject())
    }
}

struct EmptyObject: Codable {}
