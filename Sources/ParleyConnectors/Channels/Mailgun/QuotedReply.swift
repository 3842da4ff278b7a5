import Foundation

/// The new part of an email reply: mail programs quote the whole conversation under the reply, and
/// a conversation message should hold only what the user wrote now.
public enum QuotedReply {
    /// Cuts at the first line that introduces quoted history (`On … wrote:`, Outlook's
    /// `-----Original Message-----` or `From:` block, the `-- ` signature separator), drops `>`
    /// lines, and trims blank lines.
    public static func strip(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var kept: [String] = []
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if isHistoryStart(trimmed, next: index + 1 < lines.count ? lines[index + 1].trimmingCharacters(in: .whitespaces) : nil) {
                break
            }
            if line == "-- " || trimmed == "--" { break }
            if trimmed.hasPrefix(">") { continue }
            kept.append(line)
        }
        return kept.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func isHistoryStart(_ line: String, next: String?) -> Bool {
        let lower = line.lowercased()
        if lower.hasPrefix("-----original message-----") || lower.hasPrefix("________________________________") { return true }
        // "On Tue, 24 Nov 2026 at 10:02, Parley <support@…> wrote:", sometimes broken before "wrote:".
        if lower.hasPrefix("on ") && (lower.hasSuffix("wrote:") || next?.lowercased().hasSuffix("wrote:") == true) { return true }
        if lower.hasPrefix("le ") && lower.hasSuffix("a écrit :") { return true }
        // Outlook without a separator line: "From: …" followed by "Sent:" or "Date:".
        if lower.hasPrefix("from:"), let next = next?.lowercased(), next.hasPrefix("sent:") || next.hasPrefix("date:") { return true }
        return false
    }
}
