import Crypto
import Foundation
import ParleyServer
import ParleyTestSupport
import Testing

@testable import ParleyDomain
@testable import ParleyWire
@testable import ParleyHTTP

/// `Authorization` headers through the real `Authenticator` over a real `KeyService` (an SQLite
/// store in a scratch directory). Most cases start from a valid Basic header or a valid HS256 JWT
/// and change one thing, so the deep paths (key lookup, secret check, signature, claims) are
/// reached. Every answer is a principal or a 401; a principal only for credentials that are, by an
/// independent check, a key's own.
@Suite("Fuzz: Authorization headers")
struct AuthenticatorFuzzTests {
    struct Key: Sendable {
        let id: String
        let secret: String
        let scope: KeyScope
    }

    /// A migrated store with an account key and an app key, and the authenticator over it.
    static func setUp() async throws -> (Authenticator, [Key]) {
        let account = Key(id: "act_0123456789abcdef01234567", secret: "fuzz-account-secret-that-is-long-enough-for-hs256", scope: .account)
        let configuration = ServerConfiguration(
            database: .sqlite(path: Scratch.directory("fuzz-auth").appendingPathComponent("parley.sqlite").path),
            accountKey: (account.id, account.secret), serverKey: .bytes([UInt8](repeating: 7, count: 32)), logLevel: .error)
        let services = try ParleyServices.open(configuration)
        let app = try await services.startUp { services in
            try await services.keys.ensureAccountKey(id: account.id, secret: account.secret)
            let app = try await services.apps.create(AppDraft(displayName: .value("Fuzz")))
            return try await services.keys.createAppKey(appId: app.id, displayName: "fuzz")
        }
        return (Authenticator(keys: services.keys), [account, Key(id: app.key.id.rawValue, secret: app.secret, scope: .app)])
    }

    static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Base64 decoding written here: either alphabet, padding optional, nothing else allowed.
    static func base64Decoded(_ text: Substring) -> [UInt8]? {
        var values: [UInt8] = []
        var body = text
        while body.hasSuffix("=") { body = body.dropLast() }
        guard text.count - body.count <= 2 else { return nil }
        for byte in body.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): values.append(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): values.append(byte - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): values.append(byte - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "-"), UInt8(ascii: "+"): values.append(62)
            case UInt8(ascii: "_"), UInt8(ascii: "/"): values.append(63)
            default: return nil
            }
        }
        guard values.count % 4 != 1 else { return nil }
        var bytes: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = Array(values[index..<min(index + 4, values.count)]) + [0, 0, 0]
            let triple = UInt32(chunk[0]) << 18 | UInt32(chunk[1]) << 12 | UInt32(chunk[2]) << 6 | UInt32(chunk[3])
            let count = min(4, values.count - index) - 1
            for shift in [16, 8, 0].prefix(count) { bytes.append(UInt8(truncatingIfNeeded: triple >> UInt32(shift))) }
            index += 4
        }
        return bytes
    }

    static func hmac(_ text: String, secret: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8))))
    }

    /// A JWT from a header and payload, signed with `secret`.
    static func jwt(header: JSONValue, payload: JSONValue, secret: String) -> String {
        let input = base64URL(HostileJSON.text(header).utf8) + "." + base64URL(HostileJSON.text(payload).utf8)
        return input + "." + base64URL(hmac(input, secret: secret))
    }

    static let now = Date()

    /// A token near a valid one: the header's and payload's fields replaced with hostile values,
    /// signed with the key's secret (so the claims are what is judged), sometimes another secret.
    static func token(_ random: inout FuzzRandom, keys: [Key]) -> String {
        let key = random.pick(keys)
        var header: [String: JSONValue] = ["alg": .string("HS256"), "typ": .string("JWT"), "kid": .string(key.id)]
        var payload: [String: JSONValue] = ["scope": .string(key.scope.rawValue)]
        if random.oneIn(2) { payload["exp"] = .integer(Int64(now.timeIntervalSince1970) + 3600) }
        for _ in 0..<random.below(3) {
            switch random.below(6) {
            case 0:
                header["alg"] = random.pick([.string("none"), .string("hs256"), .string("HS384"), .string("HS512"), .string("RS256"), .string("ES256"),
                                             .string(""), .integer(256), .null, .array([.string("HS256")]), .string("HS256\u{0}"), HostileJSON.scalar(&random)])
            case 1:
                header["kid"] = random.pick([.string(keys[0].id), .string(keys[1].id), .string(key.id.uppercased()), .string("app_000000000000000000000000"),
                                             .string("int_" + String(key.id.dropFirst(4))), .string(key.id + " "), .integer(1), .null,
                                             .string(Hostile.mutate(key.id, &random)), HostileJSON.scalar(&random)])
                if random.oneIn(6) { header["kid"] = nil }
            case 2:
                payload["scope"] = random.pick([.string("account"), .string("app"), .string("integration"), .string("App"), .string(""), .integer(1),
                                                .null, .array([.string(key.scope.rawValue)]), .object([:]), HostileJSON.scalar(&random)])
                if random.oneIn(6) { payload["scope"] = nil }
            case 3:
                let seconds = Int64(now.timeIntervalSince1970)
                payload["exp"] = random.pick([.integer(seconds - 10), .integer(seconds + 10), .integer(0), .integer(-1), .integer(Int64.max), .integer(Int64.min),
                                              .double(1e300), .double(-1e300), .double(Double(seconds) + 0.5), .string("\(seconds + 100)"), .string("soon"),
                                              .null, .array([]), .bool(true), HostileJSON.scalar(&random)])
            case 4:
                let claim = random.pick(["nbf", "iat", "iss", "sub", "aud", "jti", "crit", "jku", "x5u", "b64"])
                if random.oneIn(2) { payload[claim] = HostileJSON.scalar(&random) } else { header[claim] = HostileJSON.scalar(&random) }
            default:
                header = random.oneIn(2) ? header : [:]
                payload[Hostile.string(&random)] = HostileJSON.value(&random)
            }
        }
        let secret = random.oneIn(10) ? key.secret + "x" : key.secret
        var token = jwt(header: .object(header), payload: .object(payload), secret: secret)
        if random.oneIn(4) {
            // Damage the text: the other base64 alphabet, padding, cut signatures, extra dots.
            switch random.below(6) {
            case 0: token = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            case 1: token = token.split(separator: ".", omittingEmptySubsequences: false).map { $0 + "==" }.joined(separator: ".")
            case 2: token = String(token.dropLast(random.pick([1, 2, 4, 43])))
            case 3: token += random.pick([".", "..", ".x", " ", "\t", "=", "A"])
            case 4: token = Hostile.mutate(token, &random, extra: [".", "=", "-", "_", "+", "/", " "])
            default: token = "." + token
            }
        }
        return token
    }

    static func basic(_ random: inout FuzzRandom, keys: [Key]) -> String {
        let key = random.pick(keys)
        var credentials = "\(key.id):\(key.secret)"
        switch random.below(8) {
        case 0: break
        case 1: credentials = "\(key.id):\(key.secret)x"
        case 2: credentials = "\(key.id.uppercased()):\(key.secret)"
        case 3: credentials = "\(random.pick(keys).id):\(random.pick(keys).secret)"
        case 4: credentials = random.pick([key.id, ":\(key.secret)", "\(key.id)::\(key.secret)", "\(key.id):", ":", ""])
        default: credentials = Hostile.mutate(credentials, &random, extra: [":", "\u{0}", "\u{301}", "\u{600}"])
        }
        var bytes = Array(credentials.utf8)
        if random.oneIn(10) { bytes += random.pick(Hostile.byteFragments) }
        var encoded = Data(bytes).base64EncodedString()
        if random.oneIn(5) {
            switch random.below(5) {
            case 0: encoded = encoded.replacingOccurrences(of: "=", with: "")
            case 1: encoded = encoded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            case 2: encoded += random.pick(["=", "==", "===", " ", "\n"])
            case 3: encoded = String(encoded.dropLast(random.pick([1, 2, 3])))
            default: encoded = Hostile.mutate(encoded, &random, extra: ["=", "+", "/", " "])
            }
        }
        return encoded
    }

    @Test("Authenticator.authenticate: a principal for a key's own credentials, else a 401, for mutated Basic and Bearer headers")
    func authenticate() async throws {
        let (authenticator, keys) = try await Self.setUp()
        let report = await Fuzz.run("Authenticator.authenticate", filter: "AuthenticatorFuzzTests/authenticate") { random, report in
            let bearer = random.oneIn(2)
            let credentials = bearer ? Self.token(&random, keys: keys) : Self.basic(&random, keys: keys)
            var scheme = bearer ? "Bearer" : "Basic"
            if random.oneIn(10) { scheme = random.pick([scheme.uppercased(), scheme.lowercased(), scheme + " ", scheme + "\t", "Digest", "", "Bearer\u{0}"]) }
            var header: String? = "\(scheme) \(credentials)"
            if random.oneIn(20) { header = random.oneIn(3) ? nil : Hostile.mutate(header!, &random) }
            if random.oneIn(50) { header = Hostile.string(&random) }
            report.trace(header.map(Fuzz.show) ?? "nil")
            do {
                let principal = try await authenticator.authenticate(authorization: header)
                report.count(bearer ? "Bearer principal" : "Basic principal")
                guard let key = keys.first(where: { $0.id == principal.keyId.rawValue }) else {
                    report.fail("a principal for an unknown key \(principal.keyId): \(header.map(Fuzz.show) ?? "nil")")
                    return
                }
                if Self.isOwnCredential(header ?? "", key: key) { return }
                report.fail("accepted \(header.map(Fuzz.show) ?? "nil") as \(key.id)")
            } catch let error as ParleyError {
                report.count("401 \(error.title.prefix(40))")
                report.expect(error.kind == .unauthorized && error.code == "unauthorized", "\(error) for \(header.map(Fuzz.show) ?? "nil")")
            } catch {
                report.unexpected(error, header.map(Fuzz.show) ?? "nil")
            }
        }
        report.expectReached("Basic principal", atLeast: Fuzz.cases / 50)
        report.expectReached("Bearer principal", atLeast: Fuzz.cases / 50)
    }

    /// The independent check: Basic carries exactly "id:secret" of the key; Bearer is three
    /// segments whose header says HS256 and the key's id, whose signature is the HMAC of the first
    /// two under the key's secret, and whose payload has the key's scope and no past expiry.
    static func isOwnCredential(_ header: String, key: Key) -> Bool {
        guard let space = header.firstIndex(of: " ") else { return false }
        let scheme = header[..<space].lowercased()
        let credentials = header[header.index(after: space)...].trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        if scheme == "basic" {
            guard let data = Data(base64Encoded: credentials) else { return false }
            return Array(data) == Array("\(key.id):\(key.secret)".utf8)
        }
        guard scheme == "bearer" else { return false }
        let parts = credentials.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = base64Decoded(parts[0]), let payloadBytes = base64Decoded(parts[1]),
            let signature = base64Decoded(parts[2]),
            signature == hmac("\(parts[0]).\(parts[1])", secret: key.secret),
            case .object(let jwtHeader)? = try? JSONParser.decode(Data(headerBytes)),
            case .object(let payload)? = try? JSONParser.decode(Data(payloadBytes))
        else { return false }
        guard jwtHeader["alg"] == .string("HS256"), jwtHeader["kid"] == .string(key.id), payload["scope"] == .string(key.scope.rawValue) else {
            return false
        }
        switch payload["exp"] {
        case nil, .null?: return true  // null is no expiry, as an absent claim
        case .integer(let seconds)?: return Double(seconds) > Date().timeIntervalSince1970
        case .double(let seconds)?: return seconds > Date().timeIntervalSince1970
        default: return false
        }
    }
}
