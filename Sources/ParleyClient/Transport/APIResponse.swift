import Foundation
import NIOHTTP1

/// A 2xx answer: status, headers and the whole body.
struct APIResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    /// The value under `key` of the JSON object answered.
    func decode<Value: Decodable>(_ type: Value.Type, at key: String) throws(SunshineClientError) -> Value {
        do {
            return try WireCoding.decoder(envelopeKey: key).decode(Envelope<Value>.self, from: body).value
        } catch {
            throw .decoding(status: status, underlying: error)
        }
    }

    /// The whole body as `Value`.
    func decode<Value: Decodable>(_ type: Value.Type) throws(SunshineClientError) -> Value {
        do {
            return try WireCoding.decoder().decode(Value.self, from: body)
        } catch {
            throw .decoding(status: status, underlying: error)
        }
    }

    /// A page of a list answer whose items are under `key`.
    func page<Item: Decodable & Sendable>(_ type: Item.Type, at key: String) throws(SunshineClientError) -> Page<Item> {
        let list: ListEnvelope<Item>
        do {
            list = try WireCoding.decoder(envelopeKey: key).decode(ListEnvelope<Item>.self, from: body)
        } catch {
            throw .decoding(status: status, underlying: error)
        }
        return Page(
            items: list.items, hasMore: list.meta?.hasMore ?? false, afterCursor: list.meta?.afterCursor,
            beforeCursor: list.meta?.beforeCursor, nextLink: list.links?.next, previousLink: list.links?.prev)
    }
}
