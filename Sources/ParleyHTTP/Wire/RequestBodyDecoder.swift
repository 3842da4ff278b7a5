import Foundation
import Hummingbird
import ParleyDomain
import ParleyWire

/// Reads a JSON request body with the API's rules, in one place for every operation:
/// 413 above 100 kB, 400 when the body is missing, 415 unless `Content-Type` is JSON, 400 for
/// malformed JSON or a field of the wrong type (naming the field).
enum RequestBodyDecoder {
    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request, context: APIRequestContext) async throws -> Body {
        guard let body = try await decodeIfPresent(type, from: request, context: context) else {
            // Every operation with a body documents it as required, but ReleaseControl's: a missing
            // one is a bad request, whatever the content type says.
            throw ParleyError.badRequest("A JSON request body is required")
        }
        return body
    }

    /// An optional body (ReleaseControl's): nil when the request has none.
    static func decodeIfPresent<Body: Decodable>(_ type: Body.Type, from request: Request, context: APIRequestContext) async throws -> Body? {
        guard let buffer = try await bodyIfPresent(of: request, context: context) else { return nil }
        let data = Data(buffer: buffer)
        do {
            return try BoundedJSONDecoder.decode(Body.self, from: data)
        } catch let error as DecodingError {
            throw ParleyError.badRequest(describe(error))
        }
    }

    /// The body as free-form JSON, for bodies read by hand (PostMessage's): `JSONParser` reads it
    /// in place; Foundation only where the parser declines, so its errors stay the same.
    static func decodeJSON(from request: Request, context: APIRequestContext) async throws -> JSONValue {
        let buffer = try await body(of: request, context: context)
        if let value = buffer.withUnsafeReadableBytes({ JSONParser.parse($0) }) { return value }
        do {
            return try BoundedJSONDecoder.decode(JSONValue.self, from: Data(buffer: buffer))
        } catch is DecodingError {
            // A `JSONValue` takes any JSON, so whatever Foundation says (for a lone surrogate it
            // reports a type mismatch at the root), the body is not JSON.
            throw ParleyError.badRequest("The request body is not valid JSON")
        }
    }

    /// The whole body, with the checks every operation shares.
    private static func body(of request: Request, context: APIRequestContext) async throws -> ByteBuffer {
        guard let buffer = try await bodyIfPresent(of: request, context: context) else {
            throw ParleyError.badRequest("A JSON request body is required")
        }
        return buffer
    }

    private static func bodyIfPresent(of request: Request, context: APIRequestContext) async throws -> ByteBuffer? {
        // Over the limit this throws an error whose status is 413; ErrorMiddleware renders it.
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { return nil }
        try requireJSONContentType(request)
        if buffer.withUnsafeReadableBytes({ JSONParser.nestsDeeper(than: Self.maximumDepth, $0) }) {
            throw ParleyError.badRequest("The request body nests arrays and objects more than \(Self.maximumDepth) levels deep")
        }
        return buffer
    }

    /// `BoundedJSONDecoder`'s limit, checked here too so the 400 says why. (Without a limit, 100 kB
    /// of arrays nested 100 deep took Foundation 10 s of one core.)
    static let maximumDepth = BoundedJSONDecoder.maximumDepth

    static func requireJSONContentType(_ request: Request) throws {
        // What nearly every client sends, checked without lowercasing, splitting and trimming
        // (about 1 % of a post's CPU in the profile).
        let sent = request.headers.value(of: .contentType)
        if let sent, sent == "application/json" || sent == "application/json; charset=utf-8" {
            return
        }
        let contentType = sent?.lowercased() ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) else {
            throw ParleyError.unsupportedMediaType
        }
    }

    /// A sentence that names the field, e.g. "profile.email: expected a string".
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return field.isEmpty ? "The request body must be a JSON object" : "\(field) must be \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) must be \(typeName(type)), not null"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is required"
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            if field.isEmpty { return "The request body is not valid JSON" }
            return "\(field): \(context.debugDescription)"
        @unknown default:
            return "The request body is invalid"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}

extension ParleyError {
    static let payloadTooLarge = ParleyError(
        kind: .payloadTooLarge, code: "payload_too_large", title: "Request bodies are limited to 100kb")
    static let unsupportedMediaType = ParleyError(
        kind: .unsupportedMediaType, code: "unsupported_media_type", title: "Content-Type must be application/json")
}
