/// The inbox's search text as a SQL `LIKE` pattern's middle: `\`, `%` and `_` escaped with `\`
/// (both stores say `ESCAPE '\'`), so they match themselves.
public enum InboxSearch {
    public static func likeEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
