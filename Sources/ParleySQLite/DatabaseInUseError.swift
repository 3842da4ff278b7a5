/// Another process holds the SQLite database (see `SQLiteStore.chooseFileLayers`).
public struct DatabaseInUseError: Error, CustomStringConvertible {
    public let path: String

    public var description: String {
        "The SQLite database \(path) is in use by another process (a Parley server?). "
            + "A server holds its database alone until it exits: stop it first, or use its API."
    }
}
