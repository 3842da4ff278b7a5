import Foundation

/// Rows under a header, each column as wide as its widest cell: what people read in a terminal.
struct Table {
    let headers: [String]
    var rows: [[String]]

    init(_ headers: String..., rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    var rendered: String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ") + "\n"
        }
        return all.map(line).joined() + (rows.isEmpty ? "(none)\n" : "")
    }
}

extension Optional where Wrapped == String {
    /// A cell for a value that may be missing.
    var cell: String { self ?? "-" }
}

extension Optional where Wrapped == Date {
    var cell: String { map { $0.formatted(Date.ISO8601FormatStyle()) } ?? "-" }
}
