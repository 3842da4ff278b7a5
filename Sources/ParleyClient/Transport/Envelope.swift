/// `{"<key>": value, …}`: the value under the key the decoder's `userInfo[.envelopeKey]` names.
struct Envelope<Value: Decodable>: Decodable {
    let value: Value

    init(from decoder: any Decoder) throws {
        guard let key = decoder.userInfo[.envelopeKey] as? String else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "No envelope key"))
        }
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        value = try container.decode(Value.self, forKey: AnyCodingKey(key))
    }
}
