/// The values given for the settings: a flag first, then the environment variable, then the
/// default. Each reader checks its value the same way whichever of the three gave it, and names
/// what was wrong the way it was given (`--port` or `PARLEY_PORT`).
struct SettingValues {
    let flags: [String: String]
    let environment: [String: String]

    /// The value as written, and whether it came from a flag; nil when nothing gives one.
    func raw(_ setting: Setting) -> (text: String, fromFlag: Bool)? {
        if let flag = setting.flag, let value = flags[flag] { return (value, true) }
        if let value = environment[setting.environment] { return (value, false) }
        return setting.defaultValue.map { ($0, false) }
    }

    func text(_ setting: Setting) -> String? {
        raw(setting)?.text
    }

    /// The value of a setting that has a default, so one is always given.
    func value(_ setting: Setting) -> String {
        raw(setting)?.text ?? ""
    }

    func port(_ setting: Setting) throws -> Int {
        let (text, fromFlag) = raw(setting) ?? ("", false)
        guard let value = Int(text), (0...65535).contains(value) else {
            throw ConfigurationError("\(setting.name(fromFlag: fromFlag)) must be a port number from 0 to 65535, got '\(text)'")
        }
        return value
    }

    /// Seconds: positive, at most a year, so nothing computed from them overflows.
    func seconds(_ setting: Setting) throws -> Double {
        let (text, fromFlag) = raw(setting) ?? ("", false)
        guard let value = Double(text), value > 0, value <= 31_536_000 else {
            throw ConfigurationError("\(setting.name(fromFlag: fromFlag)) must be a positive number of seconds, at most 31536000, got '\(text)'")
        }
        return value
    }

    /// A whole number from `minimum` to `maximum`.
    func count(_ setting: Setting, minimum: Int, maximum: Int = 1_000_000) throws -> Int {
        let (text, fromFlag) = raw(setting) ?? ("", false)
        guard let value = Int(text), value >= minimum, value <= maximum else {
            throw ConfigurationError("\(setting.name(fromFlag: fromFlag)) must be a whole number from \(minimum) to \(maximum), got '\(text)'")
        }
        return value
    }

    /// Fails naming the setting as it was given.
    func invalid(_ setting: Setting, _ problem: String) -> ConfigurationError {
        let given = raw(setting)
        return ConfigurationError("\(setting.name(fromFlag: given?.fromFlag ?? false)) \(problem), got '\(given?.text ?? "")'")
    }
}
