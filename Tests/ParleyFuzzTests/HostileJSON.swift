import Foundation
import ParleyDomain
import ParleyWire

/// JSON for the fuzz suites: valid documents, hostile values, and structure-aware mutations of a
/// valid sample (the right keys with values of the wrong kind, size or text), so a generated body
/// gets past the JSON reader into the rules behind it.
enum HostileJSON {
    /// A hostile scalar: extreme integers and doubles (finite: the wire cannot carry others),
    /// hostile text, and the kinds a field does not expect.
    static func scalar(_ random: inout FuzzRandom) -> JSONValue {
        switch random.below(12) {
        case 0: return .null
        case 1: return .bool(random.oneIn(2))
        case 2: return .integer(random.pick([0, -1, 1, 3, 10, 11, 128, 129, 256, 257, 4096, Int64.max, Int64.min, Int64(Int32.max) + 1]))
        case 3: return .integer(Int64(bitPattern: random.next()))
        case 4: return .double(random.pick([-0.0, 0.5, -90.000001, 90.0000001, 180.5, 1e-300, .leastNonzeroMagnitude, 1e300, -1e308, .ulpOfOne, 1.5, 2.5e15]))
        case 5:
            let double = Double(bitPattern: random.next())
            return .double(double.isFinite ? double : 0.25)
        default: return .string(Hostile.string(&random))
        }
    }

    /// A random valid value, hostile in its text and numbers. `doubles: false` leaves out
    /// non-integral numbers (whose text JSONParser may leave to Foundation).
    static func value(_ random: inout FuzzRandom, depth: Int = 0, doubles: Bool = true) -> JSONValue {
        let leaf = depth >= 6 || random.below(3) > 0
        if leaf {
            var value = scalar(&random)
            if !doubles, case .double = value { value = .integer(Int64(random.below(1000)) - 500) }
            return value
        }
        if random.oneIn(2) {
            return .array((0..<random.below(6)).map { _ in self.value(&random, depth: depth + 1, doubles: doubles) })
        }
        var fields: [String: JSONValue] = [:]
        for _ in 0..<random.below(6) {
            fields[random.oneIn(3) ? Hostile.string(&random) : random.pick(["a", "type", "text", "id", ""])] =
                self.value(&random, depth: depth + 1, doubles: doubles)
        }
        return .object(fields)
    }

    /// A hostile replacement for one field: another kind, an extreme value, an array of a size
    /// just past a limit, deep nesting (around the 64 levels Parley reads), or a copy of a
    /// sibling structure.
    static func replacement(_ random: inout FuzzRandom, keys: [String], like original: JSONValue?) -> JSONValue {
        switch random.below(14) {
        case 0, 1, 2, 3: return scalar(&random)
        case 4: return value(&random)
        case 5:
            // Arrays around the API's count limits (1–3, 1–10, 1–20, 1–200), of the original's kind.
            let element: JSONValue = if case .array(let items)? = original, let first = items.first { first } else { scalar(&random) }
            // Hundreds of copies of a small element only: Foundation's `JSONValue` decoding costs
            // time per node times its depth, and a wide deep tree would slow every suite down.
            let small = text(element).utf8.count < 64
            let count = random.pick(small ? [0, 1, 2, 3, 4, 10, 11, 20, 21, 200, 201] : [0, 1, 2, 3, 4])
            return .array(Array(repeating: element, count: count))
        case 6:
            var value = JSONValue.integer(1)
            for _ in 0..<random.pick([2, 10, 50, 63, 64, 65, 510]) { value = random.oneIn(2) ? .array([value]) : .object(["a": value]) }
            return value
        case 7:
            // An object with the vocabulary's keys, each hostile.
            var fields: [String: JSONValue] = [:]
            for _ in 0..<(1 + random.below(5)) { fields[random.pick(keys)] = scalar(&random) }
            return .object(fields)
        case 8: return .string(String(repeating: random.pick(["a", "é", "\u{1F600}", " "]), count: random.pick([0, 1, 3, 4, 128, 129, 256, 257, 4096, 4097, 2049])))
        case 9: return .string(random.pick(Hostile.textFragments))
        default:
            guard let original else { return scalar(&random) }
            return mutate(original, &random, keys: keys)
        }
    }

    /// `sample` with one to three structure-aware changes at random places: a value replaced, a
    /// key removed, a known key added with a hostile value, an array resized, a node nulled.
    static func mutate(_ sample: JSONValue, _ random: inout FuzzRandom, keys: [String]) -> JSONValue {
        var value = sample
        for _ in 0..<(1 + random.below(3)) { value = mutateOnce(value, &random, keys: keys, depth: 0) }
        return value
    }

    private static func mutateOnce(_ value: JSONValue, _ random: inout FuzzRandom, keys: [String], depth: Int) -> JSONValue {
        switch value {
        case .object(var fields):
            // Go deeper two times in three while there is somewhere to go.
            if !fields.isEmpty, depth < 12, random.below(3) > 0 {
                let key = fields.keys.sorted()[random.below(fields.count)]
                fields[key] = mutateOnce(fields[key]!, &random, keys: keys, depth: depth + 1)
                return .object(fields)
            }
            switch random.below(5) {
            case 0 where !fields.isEmpty:
                fields.removeValue(forKey: fields.keys.sorted()[random.below(fields.count)])
            case 1:
                fields[random.pick(keys)] = replacement(&random, keys: keys, like: nil)
            case 2:
                fields[random.oneIn(2) ? Hostile.string(&random) : random.pick(keys) + random.pick(Hostile.textFragments)] = scalar(&random)
            default:
                if fields.isEmpty { return replacement(&random, keys: keys, like: value) }
                let key = fields.keys.sorted()[random.below(fields.count)]
                fields[key] = replacement(&random, keys: keys, like: fields[key])
            }
            return .object(fields)
        case .array(var items):
            if !items.isEmpty, depth < 12, random.below(3) > 0 {
                let index = random.below(items.count)
                items[index] = mutateOnce(items[index], &random, keys: keys, depth: depth + 1)
                return .array(items)
            }
            switch random.below(4) {
            case 0 where !items.isEmpty: items.remove(at: random.below(items.count))
            case 1 where !items.isEmpty:
                let element = items[random.below(items.count)]
                let small = text(element).utf8.count < 64
                items += Array(repeating: element, count: random.pick(small ? [1, 2, 9, 10, 199, 200] : [1, 2]))
            case 2: items.append(replacement(&random, keys: keys, like: nil))
            default: return replacement(&random, keys: keys, like: value)
            }
            return .array(items)
        default:
            return replacement(&random, keys: keys, like: value)
        }
    }

    /// The path of the first string or key holding U+0000 (`""` for the root), nil when none does:
    /// Parley's text never holds it (docs/DECISIONS.md, "Text never holds U+0000").
    /// `skipping`: keys whose values are not looked into.
    static func nulField(_ value: JSONValue, path: String = "", skipping: Set<String> = []) -> String? {
        switch value {
        case .string(let text): return text.utf8.contains(0) ? path : nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = nulField(item, path: "\(path)[\(index)]", skipping: skipping) { return found }
            }
            return nil
        case .object(let fields):
            for key in fields.keys.sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                if key.utf8.contains(0) { return child }
                if skipping.contains(key) { continue }
                if let found = nulField(fields[key]!, path: child, skipping: skipping) { return found }
            }
            return nil
        default: return nil
        }
    }

    /// Every key in `value`, for a mutation vocabulary.
    static func keys(of value: JSONValue) -> Set<String> {
        switch value {
        case .object(let fields): fields.reduce(into: Set(fields.keys)) { $0.formUnion(keys(of: $1.value)) }
        case .array(let items): items.reduce(into: Set<String>()) { $0.formUnion(keys(of: $1)) }
        default: []
        }
    }

    /// The value as the server sees it once written and read back: whole doubles become
    /// integers, `-0.0` is `0`. The domain only ever meets values of this shape, so its suites
    /// generate them (a `.double(3.0)` would be a false alarm in a round trip). Nil when the
    /// server would not read the text at all (nested too deep): the domain never sees that value.
    static func wire(_ value: JSONValue) -> JSONValue? {
        try? JSONParser.decode(Data(text(value).utf8))
    }

    /// The text of a value as a client might write it.
    static func text(_ value: JSONValue) -> String {
        (try? JSONWriter.string(value)) ?? "null"
    }

    /// JSON text of every sort: valid, a valid sample's text damaged at the byte level, hostile
    /// fragments strung together, deep nesting, and a mutated structure written out.
    static func document(_ random: inout FuzzRandom, samples: [JSONValue] = []) -> [UInt8] {
        let sample = samples.isEmpty ? value(&random) : random.pick(samples)
        switch random.below(12) {
        case 0, 1: return Array(text(value(&random)).utf8)
        case 2, 3, 4: return Hostile.mutate(Array(text(sample).utf8), &random, extra: Hostile.jsonFragments.map { Array($0.utf8) })
        case 5: return Array(text(mutate(sample, &random, keys: Array(keys(of: sample)) + ["a"])).utf8)
        case 6: return Array(Hostile.nested(&random, inner: random.pick(["1", "\"x\"", "{}", "[]", "", "\"\\ud800\""])).utf8)
        case 7: return Array(Hostile.number(&random).utf8)
        case 8:
            // A string made of escapes, valid and not.
            let escapes = ["\\u0000", "\\ud800", "\\udbff\\udfff", "\\ud800\\ud800", "\\udc00", "\\u00e9", "\\uD83D\\uDE00", "\\n", "\\/",
                           "\\\\", "\\\"", "\\u", "\\u12", "\\uGGGG", "\\a", "\u{1}", "é", "\\\\u0000"]
            return Array(("\"" + (0..<random.below(8)).map { _ in random.pick(escapes) }.joined() + (random.oneIn(5) ? "" : "\"")).utf8)
        case 9: return Array((0..<(1 + random.below(12))).map { _ in random.pick(Hostile.jsonFragments) }.joined().utf8)
        case 10: return Hostile.bytes(&random)
        default:
            // Valid UTF-8 text in strings and keys, but raw bytes spliced into string content.
            var bytes = Array(text(sample).utf8)
            let at = random.below(bytes.count + 1)
            bytes.insert(contentsOf: random.pick(Hostile.byteFragments), at: at)
            return bytes
        }
    }
}
