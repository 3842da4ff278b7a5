/// A JSON object: metadata, `info`, `raw`, payloads, written as a literal: `["lang": "en-ca", "tier": 2]`.
public typealias JSONObject = [String: JSONValue]
