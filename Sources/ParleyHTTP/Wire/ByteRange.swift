/// A `Range: bytes=…` header against a file's size (RFC 9110 §14): one range, `first-last`,
/// `first-` or `-suffix`. Several ranges or another unit are ignored (the whole file is sent, as
/// the RFC allows); a range that starts past the end is unsatisfiable (416).
enum ByteRange: Equatable {
    case satisfiable(Range<Int64>)
    case unsatisfiable

    /// Nil when the header is to be ignored.
    init?(_ header: String, size: Int64) {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        let halves = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard halves.count == 2 else { return nil }
        let digits = { (text: Substring) -> Int64? in
            guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return Int64(text)
        }
        switch (digits(halves[0]), halves[1].isEmpty ? nil : digits(halves[1])) {
        case (let first?, nil) where halves[1].isEmpty:
            self = first < size ? .satisfiable(first..<size) : .unsatisfiable
        case (let first?, let last?):
            guard first <= last else { return nil }
            self = first < size ? .satisfiable(first..<min(last + 1, size)) : .unsatisfiable
        case (nil, let suffix?) where halves[0].isEmpty:
            guard suffix > 0, size > 0 else { self = .unsatisfiable; return }
            self = .satisfiable(max(0, size - suffix)..<size)
        default:
            return nil
        }
    }
}
