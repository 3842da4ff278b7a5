import ParleyDomain
import Testing

@Suite("Markdown")
struct MarkdownTests {
    @Test("What chat messages use renders to the usual HTML", arguments: [
        ("**bold**", "<p><strong>bold</strong></p>"),
        ("**bold** & co", "<p><strong>bold</strong> &amp; co</p>"),
        ("**Bold** and _italic_", "<p><strong>Bold</strong> and <em>italic</em></p>"),
        ("__strong__ *em* ~~gone~~", "<p><strong>strong</strong> <em>em</em> <s>gone</s></p>"),
        ("**Hi** <you>", "<p><strong>Hi</strong> &lt;you&gt;</p>"),
        ("# Title\n\nText", "<h1>Title</h1><p>Text</p>"),
        ("### Three", "<h3>Three</h3>"),
        ("- a\n- b", "<ul><li>a</li><li>b</li></ul>"),
        ("* a\n  continued\n* b", "<ul><li>a continued</li><li>b</li></ul>"),
        ("1. a\n2. b", "<ol><li>a</li><li>b</li></ol>"),
        ("[Parley](https://example.com) rocks", "<p><a href=\"https://example.com\">Parley</a> rocks</p>"),
        ("[**bold** link](mailto:a@example.com)", "<p><a href=\"mailto:a@example.com\"><strong>bold</strong> link</a></p>"),
        ("![cat](https://example.com/cat.png)", "<p><img src=\"https://example.com/cat.png\" alt=\"cat\"/></p>"),
        ("[x](javascript:alert)", "<p>x</p>"),
        ("`a[0]` and ``b`c``", "<p><code>a[0]</code> and <code>b`c</code></p>"),
        ("```\n<b>\n  x\n```\nafter", "<pre><code>&lt;b&gt;\n  x</code></pre><p>after</p>"),
        ("> quote\n> more", "<blockquote><p>quote more</p></blockquote>"),
        ("line one  \nline two\\\nthree", "<p>line one<br>line two<br>three</p>"),
        ("a\nb", "<p>a b</p>"),
        ("\\*not em\\* \\[x\\]", "<p>*not em* [x]</p>"),
        ("---", "<hr>"),
        ("2 * 3 * 4", "<p>2 * 3 * 4</p>"),
        ("snake_case_name and _em_", "<p>snake_case_name and <em>em</em></p>"),
        ("\"quoted\"", "<p>&quot;quoted&quot;</p>"),
        ("", ""),
    ])
    func rendering(markdown: String, html: String) {
        #expect(Markdown.html(markdown) == html)
    }

    /// Ink, the library used before, stopped the process on the first of these (a string index out
    /// of bounds) and took exponential time on the others: each is one PostMessage from any app key.
    @Test("Inputs that stopped or stalled the previous renderer are rendered", .timeLimit(.minutes(1)), arguments: [
        "- a\n ", "- \n ", "- x\n  ", "1. a\n  \n ",
        String(repeating: "![", count: 2000) + "x", String(repeating: "[", count: 4000), String(repeating: "*[", count: 2000),
        String(repeating: "[*", count: 2000), String(repeating: "**a ", count: 1000), String(repeating: "*_", count: 2000) + "x",
        String(repeating: ">", count: 4000) + " deep", String(repeating: "`", count: 4000), String(repeating: "[a](", count: 1000),
        String(repeating: "_a", count: 2000) + String(repeating: "_", count: 2000),
    ])
    func hostile(markdown: String) {
        let html = Markdown.html(markdown)
        #expect(!html.isEmpty)
        #expect(!html.contains("<script"))
    }

    @Test("Quotes nest to a fixed depth; deeper markers are text")
    func depth() {
        let deep = String(repeating: "> ", count: 40) + "x"
        #expect(Markdown.html(deep).components(separatedBy: "<blockquote>").count - 1 == 16)
        #expect(Markdown.html(deep).hasSuffix("<p>" + String(repeating: "&gt; ", count: 24) + "x</p>" + String(repeating: "</blockquote>", count: 16)))
    }
}
