import GRDB

/// The schema, as named migrations applied in order and recorded in the database, so a server
/// started on an older file brings it up to date and never re-runs a step.
///
/// Invariants live in the schema: foreign keys with cascades (deleting an app deletes what is
/// under it), unique indexes (one externalId per app and brand), NOT NULL.
enum SQLiteMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: apps, keys, users") { db in
            try db.execute(sql: """
                CREATE TABLE apps (
                    id TEXT PRIMARY KEY NOT NULL,
                    display_name TEXT NOT NULL,
                    settings TEXT NOT NULL,
                    metadata TEXT
                ) WITHOUT ROWID;

                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY NOT NULL,
                    scope TEXT NOT NULL CHECK (scope IN ('account', 'app', 'integration')),
                    app_id TEXT REFERENCES apps(id) ON DELETE CASCADE,
                    integration_id TEXT,
                    display_name TEXT,
                    secret_hash BLOB NOT NULL,
                    secret_sealed BLOB NOT NULL,
                    CHECK ((scope = 'account') = (app_id IS NULL))
                ) WITHOUT ROWID;
                CREATE INDEX api_keys_by_app ON api_keys(app_id, scope, id);

                CREATE TABLE users (
                    id TEXT PRIMARY KEY NOT NULL,
                    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                    external_id TEXT,
                    zendesk_id TEXT,
                    brand_id TEXT,
                    signed_up_at INTEGER NOT NULL,
                    to_be_retained INTEGER NOT NULL,
                    profile TEXT NOT NULL,
                    metadata TEXT NOT NULL,
                    authenticated INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX users_by_app ON users(app_id, id);
                CREATE UNIQUE INDEX users_by_external_id ON users(app_id, ifnull(brand_id, ''), external_id)
                    WHERE external_id IS NOT NULL;

                CREATE TABLE user_identities (
                    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    app_id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    value TEXT NOT NULL,
                    verification TEXT,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (user_id, type, value)
                ) WITHOUT ROWID;
                CREATE INDEX user_identities_by_value ON user_identities(app_id, type, value);
                """)
        }
        return migrator
    }
}
