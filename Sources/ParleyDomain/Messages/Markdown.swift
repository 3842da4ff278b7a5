/// `markdownText` → `htmlText`: the Markdown people write in chat messages, rendered by Parley
/// itself.
///
/// Why not a Markdown library: the one used before (Ink 0.6) stopped the process on a two-line
/// list (`"- a\n "`, a string index out of bounds) and took exponential time on nested brackets
/// (`![` fourteen times: 8 s), both reachable from any app key through PostMessage. This renderer
/// reads every input and fails on none, and its work is bounded: no construct is parsed again
/// after it failed, nesting stops at a fixed depth, and the searches for closing markers share a
/// budget of steps, past which the rest of a block is plain text.
///
/// What it renders: paragraphs (a single newline is a space, two trailing spaces or a backslash
/// a `<br>`), ATX headings, `-`/`*`/`+` and `1.` lists, `>` quotes, fenced code blocks,
/// horizontal rules; inline `**strong**`/`__strong__`, `*em*`/`_em_`, `~~strike~~`, `` `code` ``,
/// `[links](url)` and `![images](url)` (http, https, mailto and tel only: a `javascript:` link is
/// shown as its text), backslash escapes. Raw HTML is not passed through: `<` is text.
public enum Markdown {
    public static func html(_ markdown: String) -> String {
        var blocks = BlockRenderer(lines: Self.lines(markdown), depth: 0)
        return blocks.render()
    }

    /// How deep quotes and inline markers nest before the rest is plain text.
    static let maximumDepth = 16

    /// Lines without their terminators (`\n`, `\r\n` or `\r`), tabs as four spaces.
    static func lines(_ text: String) -> [[Character]] {
        var lines: [[Character]] = [[]]
        for character in text {
            switch character {
            case "\n", "\r\n", "\r": lines.append([])
            case "\t": lines[lines.count - 1].append(contentsOf: "    ")
            default: lines[lines.count - 1].append(character)
            }
        }
        return lines
    }

    /// Text with `&`, `<`, `>` and `"` as entities, for element content and attribute values.
    ///
    /// By Unicode scalar, not by Character: a `<` or `"` joined with a mark into one Character
    /// (`"\u{301}`, `\u{600}<`) is still a `<` or `"` to a browser.
    static func escape<Characters: Sequence<Character>>(_ characters: Characters) -> String {
        var result = String.UnicodeScalarView()
        for character in characters {
            for scalar in character.unicodeScalars {
                switch scalar {
                case "&": result.append(contentsOf: "&amp;".unicodeScalars)
                case "<": result.append(contentsOf: "&lt;".unicodeScalars)
                case ">": result.append(contentsOf: "&gt;".unicodeScalars)
                case "\"": result.append(contentsOf: "&quot;".unicodeScalars)
                default: result.append(scalar)
                }
            }
        }
        return String(result)
    }
}

/// Splits lines into blocks and renders each; inline content goes to `InlineRenderer`.
private struct BlockRenderer {
    let lines: [[Character]]
    let depth: Int
    var index = 0
    var html = ""

    init(lines: [[Character]], depth: Int) {
        self.lines = lines
        self.depth = depth
    }

    mutating func render() -> String {
        while index < lines.count {
            let line = lines[index]
            let content = Self.trimmedLeading(line)
            if content.isEmpty {
                index += 1
            } else if Self.isFence(content) {
                codeBlock(fence: Array(content.prefix { $0 == content[0] }))
            } else if let level = Self.headingLevel(content) {
                html += "<h\(level)>\(InlineRenderer.render(Self.trimmed(Array(content.dropFirst(level)))))</h\(level)>"
                index += 1
            } else if Self.isRule(content) {
                html += "<hr>"
                index += 1
            } else if content.first == ">", depth < Markdown.maximumDepth {
                quote()
            } else if let marker = Self.listMarker(content) {
                list(ordered: marker.ordered)
            } else {
                paragraph()
            }
        }
        return html
    }

    /// Lines up to the closing fence (or the end), escaped, in `<pre><code>`.
    mutating func codeBlock(fence: [Character]) {
        index += 1
        var body: [String] = []
        while index < lines.count {
            let content = Self.trimmedLeading(lines[index])
            index += 1
            if content.count >= fence.count, content.prefix(fence.count).elementsEqual(fence), content.dropFirst(fence.count).allSatisfy(\.isWhitespace) {
                break
            }
            body.append(Markdown.escape(lines[index - 1]))
        }
        html += "<pre><code>" + body.joined(separator: "\n") + "</code></pre>"
    }

    /// Consecutive `>` lines, their markers removed, rendered as blocks of their own.
    mutating func quote() {
        var inner: [[Character]] = []
        while index < lines.count {
            let content = Self.trimmedLeading(lines[index])
            guard content.first == ">" else { break }
            var rest = Array(content.dropFirst())
            if rest.first == " " { rest.removeFirst() }
            inner.append(rest)
            index += 1
        }
        var nested = BlockRenderer(lines: inner, depth: depth + 1)
        html += "<blockquote>" + nested.render() + "</blockquote>"
    }

    /// Consecutive items of one kind; a line that is not an item and not blank continues the item.
    mutating func list(ordered: Bool) {
        var items: [[[Character]]] = []
        while index < lines.count {
            let content = Self.trimmedLeading(lines[index])
            if let marker = Self.listMarker(content), marker.ordered == ordered {
                items.append([Array(content.dropFirst(marker.length))])
            } else if !content.isEmpty, !items.isEmpty, Self.listMarker(content) == nil, !Self.isFence(content), content.first != ">",
                Self.headingLevel(content) == nil
            {
                items[items.count - 1].append(content)
            } else {
                break
            }
            index += 1
        }
        let tag = ordered ? "ol" : "ul"
        html += "<\(tag)>"
        for item in items {
            html += "<li>" + InlineRenderer.render(Self.joined(item)) + "</li>"
        }
        html += "</\(tag)>"
    }

    /// Lines up to a blank line or the start of another block, joined: a newline is a space, or a
    /// `<br>` after two spaces or a backslash.
    mutating func paragraph() {
        var paragraphLines: [[Character]] = []
        while index < lines.count {
            let content = Self.trimmedLeading(lines[index])
            if content.isEmpty || (!paragraphLines.isEmpty && startsBlock(content)) { break }
            paragraphLines.append(lines[index])
            index += 1
        }
        html += "<p>" + InlineRenderer.render(Self.joined(paragraphLines)) + "</p>"
    }

    func startsBlock(_ content: [Character]) -> Bool {
        Self.isFence(content) || Self.headingLevel(content) != nil || Self.isRule(content)
            || (content.first == ">" && depth < Markdown.maximumDepth) || Self.listMarker(content) != nil
    }

    /// The lines as one inline text; hard breaks become U+2028, which `InlineRenderer` writes as `<br>`.
    static func joined(_ lines: [[Character]]) -> [Character] {
        var result: [Character] = []
        for (position, line) in lines.enumerated() {
            var line = position == 0 ? line : trimmedLeading(line)
            guard position < lines.count - 1 else {
                result += trimmedTrailing(line)
                break
            }
            var hardBreak = false
            if line.last == "\\" {
                line.removeLast()
                hardBreak = true
            } else if line.count >= 2, line.suffix(2).allSatisfy({ $0 == " " }) {
                hardBreak = true
            }
            result += trimmedTrailing(line)
            result.append(hardBreak ? InlineRenderer.lineBreak : " ")
        }
        return result
    }

    static func trimmedLeading(_ line: [Character]) -> [Character] {
        Array(line.drop { $0 == " " })
    }

    static func trimmedTrailing(_ line: [Character]) -> [Character] {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }

    static func trimmed(_ line: [Character]) -> [Character] {
        trimmedTrailing(trimmedLeading(line))
    }

    static func isFence(_ content: [Character]) -> Bool {
        guard let first = content.first, first == "`" || first == "~" else { return false }
        return content.prefix { $0 == first }.count >= 3
    }

    /// `#` to `######` followed by a space (or nothing).
    static func headingLevel(_ content: [Character]) -> Int? {
        let level = content.prefix { $0 == "#" }.count
        guard (1...6).contains(level), content.count == level || content[level] == " " else { return nil }
        return level
    }

    /// Three or more of one of `-`, `*`, `_`, spaces allowed between.
    static func isRule(_ content: [Character]) -> Bool {
        guard let first = content.first, "-*_".contains(first) else { return false }
        let marks = content.filter { $0 != " " }
        return marks.count >= 3 && marks.allSatisfy { $0 == first }
    }

    /// `- `, `* `, `+ ` or digits and `.`/`)` and a space: the marker's length with its space.
    static func listMarker(_ content: [Character]) -> (ordered: Bool, length: Int)? {
        guard let first = content.first else { return nil }
        if "-*+".contains(first) {
            guard content.count >= 2, content[1] == " " else { return nil }
            return (false, 2)
        }
        let digits = content.prefix { $0.isASCII && $0.isNumber }.count
        guard (1...9).contains(digits), content.count > digits + 1, ".)".contains(content[digits]), content[digits + 1] == " " else { return nil }
        return (true, digits + 2)
    }
}

/// Emphasis, code, links and escapes within one block's text.
private final class InlineRenderer {
    /// Stands for a hard line break inside a block's text (a line separator, never in the lines).
    static let lineBreak: Character = "\u{2028}"
    /// Steps the searches for closing markers may take in one block, about a hundred per character
    /// of the longest text allowed; what they find after that is plain text.
    static let searchBudget = 400_000

    let text: [Character]
    /// For each position, where the next `]` is at or after it (text.count when none): a link's end
    /// is found in one step, so `[[[[…` costs no search per bracket.
    let nextClosingBracket: [Int]
    var remainingSteps = InlineRenderer.searchBudget

    init(text: [Character]) {
        self.text = text
        var next = [Int](repeating: text.count, count: text.count + 1)
        for position in stride(from: text.count - 1, through: 0, by: -1) {
            next[position] = text[position] == "]" ? position : next[position + 1]
        }
        self.nextClosingBracket = next
    }

    static func render(_ text: [Character]) -> String {
        InlineRenderer(text: text).render(0..<text.count, depth: 0)
    }

    /// One step of a search; false once the budget is spent.
    func step() -> Bool {
        guard remainingSteps > 0 else { return false }
        remainingSteps -= 1
        return true
    }

    func render(_ range: Range<Int>, depth: Int) -> String {
        guard depth < Markdown.maximumDepth else { return Markdown.escape(text[range].map { $0 == Self.lineBreak ? " " : $0 }) }
        var html = ""
        var position = range.lowerBound
        while position < range.upperBound {
            let character = text[position]
            switch character {
            case "\\" where position + 1 < range.upperBound && text[position + 1].isASCII && text[position + 1].isPunctuationOrSymbol:
                html += Markdown.escape([text[position + 1]])
                position += 2
            case Self.lineBreak:
                html += "<br>"
                position += 1
            case "`":
                if let (code, end) = codeSpan(at: position, in: range) {
                    html += "<code>" + Markdown.escape(code) + "</code>"
                    position = end
                } else {
                    let run = runLength(of: "`", at: position, in: range)
                    html += String(repeating: "`", count: run)
                    position += run
                }
            case "*", "_", "~":
                if let (tag, inner, end) = emphasis(at: position, in: range) {
                    html += "<\(tag)>" + render(inner, depth: depth + 1) + "</\(tag)>"
                    position = end
                } else {
                    let run = runLength(of: character, at: position, in: range)
                    html += String(repeating: character, count: run)
                    position += run
                }
            case "!" where position + 1 < range.upperBound && text[position + 1] == "[":
                if let link = link(at: position + 1, in: range) {
                    if let url = link.url {
                        html += "<img src=\"\(Markdown.escape(url))\" alt=\"\(Markdown.escape(text[link.label]))\"/>"
                    } else {
                        html += Markdown.escape(text[link.label])
                    }
                    position = link.end
                } else {
                    html += "!"
                    position += 1
                }
            case "[":
                if let link = link(at: position, in: range) {
                    let label = render(link.label, depth: depth + 1)
                    html += link.url.map { "<a href=\"\(Markdown.escape($0))\">\(label)</a>" } ?? label
                    position = link.end
                } else {
                    html += "["
                    position += 1
                }
            default:
                html += Markdown.escape([character])
                position += 1
            }
        }
        return html
    }

    // Runs are read once each, by the loop that skips them: no budget needed.
    func runLength(of character: Character, at position: Int, in range: Range<Int>) -> Int {
        var end = position
        while end < range.upperBound && text[end] == character { end += 1 }
        return end - position
    }

    /// `` `code` `` with a closing run of as many backticks as the opening one.
    func codeSpan(at position: Int, in range: Range<Int>) -> ([Character], Int)? {
        let run = runLength(of: "`", at: position, in: range)
        var search = position + run
        while search < range.upperBound, step() {
            guard text[search] == "`" else {
                search += 1
                continue
            }
            let closing = runLength(of: "`", at: search, in: range)
            if closing == run {
                return (Array(text[(position + run)..<search]), search + run)
            }
            search += closing
        }
        return nil
    }

    /// `**x**`/`__x__` strong, `*x*`/`_x_` em, `~~x~~` strike: the closing marker is the next run
    /// of the same character and length that follows a non-space; the content is not empty and
    /// does not start with a space.
    func emphasis(at position: Int, in range: Range<Int>) -> (tag: String, inner: Range<Int>, end: Int)? {
        let character = text[position]
        let run = runLength(of: character, at: position, in: range)
        let length: Int
        let tag: String
        switch (character, run) {
        case ("~", 2): (length, tag) = (2, "s")
        case ("*", 2), ("_", 2): (length, tag) = (2, "strong")
        case ("*", 1), ("_", 1): (length, tag) = (1, "em")
        default: return nil
        }
        let start = position + length
        guard start < range.upperBound, !text[start].isWhitespace else { return nil }
        // `snake_case_name` is a name, not emphasis: `_` does not open inside a word.
        if character == "_", position > range.lowerBound, text[position - 1].isLetter || text[position - 1].isNumber { return nil }
        var search = start + 1
        while search < range.upperBound, step() {
            guard text[search] == character else {
                search += 1
                continue
            }
            let closing = runLength(of: character, at: search, in: range)
            let after = search + closing
            let closesWord = character != "_" || after >= range.upperBound || !(text[after].isLetter || text[after].isNumber)
            if closing == length, !text[search - 1].isWhitespace, closesWord {
                return (tag, start..<search, search + length)
            }
            search += closing
        }
        return nil
    }

    /// `[label](url)`: the label ends at the next `]` (labels do not nest), the URL at the next `)`.
    /// A URL Parley does not link to (not http, https, mailto or tel) leaves `url` nil.
    func link(at position: Int, in range: Range<Int>) -> (label: Range<Int>, url: String?, end: Int)? {
        let close = nextClosingBracket[position + 1]
        guard close + 1 < range.upperBound, text[close + 1] == "(" else { return nil }
        var end = close + 2
        while end < range.upperBound && text[end] != ")" && !text[end].isWhitespace, step() { end += 1 }
        guard end < range.upperBound, text[end] == ")" else { return nil }
        let url = String(text[(close + 2)..<end])
        let scheme = url.prefix { $0 != ":" }.lowercased()
        let linkable = ["http", "https", "mailto", "tel"].contains(scheme) && url.contains(":")
        return ((position + 1)..<close, linkable ? url : nil, end + 1)
    }
}

extension Character {
    /// ASCII punctuation and symbols, what a backslash may escape.
    fileprivate var isPunctuationOrSymbol: Bool {
        isPunctuation || isSymbol
    }
}
