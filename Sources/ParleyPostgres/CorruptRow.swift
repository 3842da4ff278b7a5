/// A stored value Parley cannot read back (an id that is not 24 hex digits, …): a 500, never a guess.
struct CorruptRow: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
