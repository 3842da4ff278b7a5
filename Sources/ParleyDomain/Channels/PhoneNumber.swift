/// Phone numbers as channels need them: E.164 (`+` then 8–15 digits). Callers may write spaces,
/// dashes, dots and parentheses; the `+` and country code are required, because a number without
/// them cannot be told apart from a local one.
public enum PhoneNumber {
    public static func normalized(_ value: String, field: String) throws -> String {
        let stripped = value.filter { !" -.()".contains($0) }
        let digits = stripped.dropFirst()
        guard stripped.hasPrefix("+"), (8...15).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            digits.first != "0"
        else {
            throw ParleyError.badRequest("\(field) must be a phone number in international format: + and the country code, e.g. +1 212 555 2368")
        }
        return stripped
    }
}
