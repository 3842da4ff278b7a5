/// One setting of `parley serve`: the environment variable that sets it, the flag that overrides
/// it (if any), its default as written, and what it does.
///
/// `ServerConfiguration.resolve` reads every setting through `Settings`, and `parley serve --help`
/// lists them from there: one table, so the help cannot name a default the server does not use.
public struct Setting: Sendable, Hashable {
    public let environment: String
    /// The flag's name without its dashes (`port` for `--port`).
    public let flag: String?
    /// The value used when neither the flag nor the variable is given; nil when there is none.
    public let defaultValue: String?
    public let summary: String

    init(_ environment: String, flag: String? = nil, default defaultValue: String? = nil, _ summary: String) {
        self.environment = environment
        self.flag = flag
        self.defaultValue = defaultValue
        self.summary = summary
    }

    /// How an error names the setting: the flag when the value came from it, else the variable.
    func name(fromFlag: Bool) -> String {
        if fromFlag, let flag { return "--\(flag)" }
        return environment
    }
}
