import ParleyDomain

/// What a PostgreSQL node keeps in memory: API keys (read by every request) and apps, so the hot
/// path reads neither from the database.
///
/// Kept true on every node: a trigger on each table NOTIFYs the schema's cache channel as a change
/// commits (migration v14), and `PostgresCacheListener` invalidates the table's cache when it
/// hears one; the node that made the change also invalidates at once, before it answers. The
/// caches are off (every read goes to the database) until the listener is listening, and again
/// from the moment it cannot be sure it hears every change (docs/DECISIONS.md, "Caches on
/// PostgreSQL").
final class PostgresCaches: Sendable {
    let keys = ReadCache<KeyID, APIKey>(enabled: false)
    let apps = ReadCache<ResourceID, App>(enabled: false)

    /// The tables whose changes the triggers announce; the payload of each notification.
    enum Table: String, CaseIterable {
        case keys = "api_keys"
        case apps
    }

    /// Another node (or this one) changed `table`; an unknown name forgets everything.
    func changed(_ table: String) {
        switch Table(rawValue: table) {
        case .keys: keys.invalidate()
        case .apps: apps.invalidate()
        case nil:
            keys.invalidate()
            apps.invalidate()
        }
    }

    func setEnabled(_ enabled: Bool) {
        keys.setEnabled(enabled)
        apps.setEnabled(enabled)
    }

    var isEnabled: Bool {
        keys.isEnabled && apps.isEnabled
    }
}
