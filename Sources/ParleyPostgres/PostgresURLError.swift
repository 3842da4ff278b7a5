/// A database URL Parley cannot use; the message says what shape it expects.
public struct PostgresURLError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
