import ParleyDomain

extension Integration {
    /// A text setting a connector needs (`domain`, `accountSid`); nil when absent or empty.
    func textSetting(_ name: String) -> String? {
        if case .string(let value)? = settings[name], !value.isEmpty { return value }
        return nil
    }
}
