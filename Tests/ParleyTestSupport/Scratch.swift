import Foundation

/// Where tests put the files they create (SQLite databases, logs): one directory per test
/// process, removed when the process exits.
///
/// Why: each test's own temporary file was left behind, a few hundred per run of the suite, and a
/// developer's `/tmp` filled up with them (38,000 directories, ≈ 5 GB, after a few weeks).
/// Removed at exit rather than after each test, because a test may hand its path to a server or a
/// second store that outlives the test's own scope. A process that crashes leaves its directory.
public enum Scratch {
    public static let root: URL = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("parley-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Scratch.root) }
        return root
    }()

    /// A path nobody else gets, for a file the caller creates: `name` prefixed with a fresh UUID.
    public static func file(_ name: String) -> String {
        root.appendingPathComponent("\(UUID().uuidString)-\(name)").path
    }

    /// A fresh, empty directory of the caller's own.
    public static func directory(_ name: String) -> URL {
        let directory = root.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}
