import Foundation

/// Reads a user's answer to a `prompt` confirmation: the first word of the reply decides.
/// Anything else is not an answer, and the reply goes on as an ordinary message.
enum PromptReply {
    static let positive: Set<String> = ["yes", "y", "yeah", "yep", "ok", "okay", "confirm", "confirmed", "accept", "oui", "si", "sí", "ja"]
    static let negative: Set<String> = ["no", "n", "nope", "cancel", "decline", "stop", "non", "nein"]

    /// true for yes, false for no, nil when the text is neither.
    static func classify(_ text: String) -> Bool? {
        let firstWord = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).first.map {
            $0.lowercased().trimmingCharacters(in: .punctuationCharacters)
        }
        guard let firstWord else { return nil }
        if positive.contains(firstWord) { return true }
        if negative.contains(firstWord) { return false }
        return nil
    }
}
