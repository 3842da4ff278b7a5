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
        migrator.registerMigration("v2: conversations, participants, messages") { db in
            try db.execute(sql: """
                CREATE TABLE conversations (
                    id TEXT PRIMARY KEY NOT NULL,
                    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                    type TEXT NOT NULL CHECK (type IN ('personal', 'sdkGroup')),
                    display_name TEXT,
                    description TEXT,
                    icon_url TEXT,
                    metadata TEXT,
                    is_default INTEGER NOT NULL,
                    business_last_read INTEGER,
                    last_updated_at INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    message_count INTEGER NOT NULL DEFAULT 0
                ) WITHOUT ROWID;
                CREATE INDEX conversations_by_app ON conversations(app_id, id);

                CREATE TABLE participants (
                    id TEXT PRIMARY KEY NOT NULL,
                    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
                    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    unread_count INTEGER NOT NULL DEFAULT 0,
                    last_read INTEGER,
                    client_associations TEXT NOT NULL DEFAULT '[]',
                    UNIQUE (conversation_id, user_id)
                ) WITHOUT ROWID;
                CREATE INDEX participants_by_conversation ON participants(conversation_id, id);
                CREATE INDEX participants_by_user ON participants(user_id, conversation_id);

                -- Clustered by conversation: the latest page of a conversation is one range scan.
                CREATE TABLE messages (
                    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
                    id TEXT NOT NULL,
                    received INTEGER NOT NULL,
                    author TEXT NOT NULL,
                    content TEXT NOT NULL,
                    source TEXT NOT NULL,
                    metadata TEXT,
                    destination TEXT,
                    override TEXT,
                    PRIMARY KEY (conversation_id, id)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v3: integrations, webhooks") { db in
            try db.execute(sql: """
                CREATE TABLE integrations (
                    id TEXT PRIMARY KEY NOT NULL,
                    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                    type TEXT NOT NULL,
                    status TEXT NOT NULL,
                    settings TEXT NOT NULL,
                    secrets_hash BLOB,
                    secrets_sealed BLOB
                ) WITHOUT ROWID;
                CREATE INDEX integrations_by_app ON integrations(app_id, id);

                CREATE TABLE webhooks (
                    id TEXT PRIMARY KEY NOT NULL,
                    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                    version TEXT NOT NULL,
                    target TEXT NOT NULL,
                    triggers TEXT NOT NULL,
                    secret TEXT NOT NULL,
                    include_full_user INTEGER NOT NULL,
                    include_full_source INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX webhooks_by_integration ON webhooks(integration_id, id);
                """)
        }
        migrator.registerMigration("v4: outbox events and deliveries") { db in
            try db.execute(sql: """
                -- seq is assigned inside the writing transaction; SQLite has one writer at a time, so
                -- seq order is commit order, the order every webhook receives events in.
                CREATE TABLE events (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                    type TEXT NOT NULL,
                    conversation_id TEXT,
                    created_at INTEGER NOT NULL,
                    payload TEXT NOT NULL
                );

                CREATE TABLE deliveries (
                    webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
                    event_seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER NOT NULL,
                    last_attempt_at INTEGER,
                    last_status_code INTEGER,
                    last_error TEXT,
                    PRIMARY KEY (webhook_id, event_seq)
                ) WITHOUT ROWID;
                CREATE INDEX deliveries_pending ON deliveries(state, webhook_id, event_seq);
                CREATE INDEX deliveries_by_event ON deliveries(event_seq);
                """)
        }
        migrator.registerMigration("v5: clients and channel jobs") { db in
            try db.execute(sql: """
                CREATE TABLE clients (
                    id TEXT PRIMARY KEY NOT NULL,
                    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                    type TEXT NOT NULL,
                    status TEXT NOT NULL,
                    external_id TEXT NOT NULL,
                    display_name TEXT,
                    linked_at INTEGER,
                    last_seen INTEGER,
                    conversation_id TEXT REFERENCES conversations(id) ON DELETE SET NULL,
                    is_primary INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX clients_by_user ON clients(user_id, id);

                -- No foreign key to clients: a job outlives a client removed after a failed link, so
                -- its error stays readable.
                CREATE TABLE channel_jobs (
                    id TEXT PRIMARY KEY NOT NULL,
                    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                    integration_id TEXT NOT NULL,
                    client_id TEXT NOT NULL,
                    activates_client INTEGER NOT NULL,
                    payload TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER NOT NULL,
                    last_attempt_at INTEGER,
                    last_status_code INTEGER,
                    last_error TEXT
                ) WITHOUT ROWID;
                CREATE INDEX channel_jobs_due ON channel_jobs(state, next_attempt_at);
                """)
        }
        migrator.registerMigration("v6: inbound channels and message deliveries") { db in
            try db.execute(sql: """
                ALTER TABLE clients ADD COLUMN confirmation TEXT NOT NULL DEFAULT 'immediate';
                ALTER TABLE clients ADD COLUMN subject TEXT;
                -- Inbound mail is matched to clients by address; deliveries find a conversation's clients.
                CREATE INDEX clients_by_address ON clients(integration_id, external_id);
                CREATE INDEX clients_by_conversation ON clients(conversation_id, status);
                -- Unanswered prompts expire.
                CREATE INDEX clients_pending ON clients(status, confirmation, id);

                ALTER TABLE channel_jobs ADD COLUMN message_id TEXT;
                ALTER TABLE channel_jobs ADD COLUMN conversation_id TEXT;

                -- A provider's retry of an inbound message is recognised by its key and stored once.
                ALTER TABLE messages ADD COLUMN external_key TEXT;
                CREATE UNIQUE INDEX messages_by_external_key ON messages(external_key) WHERE external_key IS NOT NULL;
                """)
        }
        migrator.registerMigration("v7: sealed webhook secrets") { db in
            // Sealed by the server (`WebhookService.sealStoredSecrets`) at start-up, which then
            // empties `secret`: SQL alone cannot seal.
            try db.execute(sql: "ALTER TABLE webhooks ADD COLUMN secret_sealed BLOB")
        }
        migrator.registerMigration("v8: channel reports recorded once") { db in
            // A provider may repeat a delivery report (Twilio's status callbacks, Mailgun's events).
            try db.execute(sql: "ALTER TABLE channel_jobs ADD COLUMN reported INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v9: switchboards") { db in
            try db.execute(sql: """
                -- One per app (the unique index refuses a second even if two writes raced).
                CREATE TABLE switchboards (
                    id TEXT PRIMARY KEY NOT NULL,
                    app_id TEXT NOT NULL UNIQUE REFERENCES apps(id) ON DELETE CASCADE,
                    enabled INTEGER NOT NULL,
                    default_switchboard_integration_id TEXT,
                    created_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                -- Removed with their switchboard or their integration; references to them
                -- (default, next, a conversation's active and pending) read as none once gone.
                CREATE TABLE switchboard_integrations (
                    id TEXT PRIMARY KEY NOT NULL,
                    switchboard_id TEXT NOT NULL REFERENCES switchboards(id) ON DELETE CASCADE,
                    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                    integration_type TEXT NOT NULL,
                    name TEXT NOT NULL,
                    deliver_standby_events INTEGER NOT NULL,
                    next_switchboard_integration_id TEXT,
                    message_history_count INTEGER,
                    created_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX switchboard_integrations_by_switchboard ON switchboard_integrations(switchboard_id, id);
                CREATE INDEX switchboard_integrations_by_integration ON switchboard_integrations(integration_id);

                ALTER TABLE conversations ADD COLUMN active_switchboard_integration_id TEXT;
                ALTER TABLE conversations ADD COLUMN pending_switchboard_integration_id TEXT;
                -- Every read of a conversation goes through this view: the row with what it shows
                -- of its active and pending switchboard integrations.
                CREATE VIEW conversation_rows AS
                    SELECT c.*,
                           a.name AS active_name, a.integration_id AS active_integration_id, a.integration_type AS active_integration_type,
                           p.name AS pending_name, p.integration_id AS pending_integration_id, p.integration_type AS pending_integration_type
                    FROM conversations c
                    LEFT JOIN switchboard_integrations a ON a.id = c.active_switchboard_integration_id
                    LEFT JOIN switchboard_integrations p ON p.id = c.pending_switchboard_integration_id;
                """)
        }
        migrator.registerMigration("v10: attachments") { db in
            try db.execute(sql: """
                -- Served by token (unguessable), so the token is the key.
                CREATE TABLE attachments (
                    token TEXT PRIMARY KEY NOT NULL,
                    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                    conversation_id TEXT,
                    for_message INTEGER NOT NULL,
                    media_type TEXT NOT NULL,
                    file_name TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    digest TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX attachments_by_app ON attachments(app_id);
                """)
        }
        migrator.registerMigration("v11: attachments go with their conversation, message and user") { db in
            // SQLite cannot add a table constraint: the table is rebuilt. A record deleted, by any
            // statement or cascade, leaves its token in attachment_removals (same transaction), so
            // its file is removed even if the process stops right after.
            try db.execute(sql: """
                CREATE TABLE attachment_removals (token TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
                CREATE TABLE attachments_v11 (
                    token TEXT PRIMARY KEY NOT NULL,
                    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                    conversation_id TEXT REFERENCES conversations(id) ON DELETE CASCADE,
                    message_id TEXT,
                    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
                    for_message INTEGER NOT NULL,
                    media_type TEXT NOT NULL,
                    file_name TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    digest TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    FOREIGN KEY (conversation_id, message_id) REFERENCES messages(conversation_id, id) ON DELETE CASCADE
                ) WITHOUT ROWID;
                INSERT INTO attachment_removals (token)
                    SELECT token FROM attachments WHERE conversation_id IS NOT NULL AND conversation_id NOT IN (SELECT id FROM conversations);
                INSERT INTO attachments_v11 (token, app_id, conversation_id, for_message, media_type, file_name, size, digest, created_at)
                    SELECT token, app_id, conversation_id, for_message, media_type, file_name, size, digest, created_at FROM attachments
                    WHERE conversation_id IS NULL OR conversation_id IN (SELECT id FROM conversations);
                DROP TABLE attachments;
                ALTER TABLE attachments_v11 RENAME TO attachments;
                CREATE INDEX attachments_by_app ON attachments(app_id);
                CREATE INDEX attachments_by_message ON attachments(conversation_id, message_id);
                CREATE INDEX attachments_by_user ON attachments(user_id);
                CREATE INDEX attachments_unused ON attachments(created_at) WHERE for_message AND message_id IS NULL;
                CREATE TRIGGER attachments_removed AFTER DELETE ON attachments BEGIN
                    INSERT OR IGNORE INTO attachment_removals (token) VALUES (old.token);
                END;
                """)
        }
        migrator.registerMigration("v12: channel jobs keep the provider's message id") { db in
            // Providers that report a message's fate by their own id (WhatsApp's wamid, Messenger's
            // mid) find the job by it.
            try db.execute(sql: """
                ALTER TABLE channel_jobs ADD COLUMN external_message_id TEXT;
                CREATE INDEX channel_jobs_by_external_id ON channel_jobs(integration_id, external_message_id) WHERE external_message_id IS NOT NULL;
                """)
        }
        migrator.registerMigration("v13: conversation event numbers and devices") { db in
            // Each conversation's events numbered 1, 2, 3 … in commit order (one writer), for
            // realtime clients that resume from the last number they saw (docs/MESSENGER.md).
            // Devices: the browsers (and apps) through which a user's `sdk` client talks.
            try db.execute(sql: """
                ALTER TABLE events ADD COLUMN conversation_seq INTEGER;
                CREATE INDEX events_numbering ON events(conversation_id, seq);
                UPDATE events SET conversation_seq = (
                    SELECT count(*) FROM events AS earlier WHERE earlier.conversation_id = events.conversation_id AND earlier.seq <= events.seq)
                WHERE conversation_id IS NOT NULL;
                DROP INDEX events_numbering;
                CREATE UNIQUE INDEX events_by_conversation ON events(conversation_id, conversation_seq) WHERE conversation_id IS NOT NULL;

                CREATE TABLE devices (
                    id TEXT PRIMARY KEY NOT NULL,
                    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
                    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                    guid TEXT NOT NULL,
                    type TEXT NOT NULL,
                    status TEXT NOT NULL,
                    info TEXT,
                    last_seen INTEGER NOT NULL,
                    UNIQUE (integration_id, guid)
                ) WITHOUT ROWID;
                CREATE INDEX devices_by_client ON devices(client_id, id);
                -- The inbox lists an app's conversations by last activity.
                CREATE INDEX conversations_by_activity ON conversations(app_id, last_updated_at);
                """)
        }
        // v14 is PostgreSQL's own (webhook claims); the numbers stay the same for the same tables.
        migrator.registerMigration("v15: idempotency keys") { db in
            // One row per key a client sent with a POST, kept 24 hours (IdempotencyService);
            // status is NULL while the first request is still being answered.
            try db.execute(sql: """
                CREATE TABLE idempotency_keys (
                    scope TEXT NOT NULL,
                    key TEXT NOT NULL,
                    request TEXT NOT NULL,
                    claimed_at INTEGER NOT NULL,
                    body_digest TEXT,
                    status INTEGER,
                    content_type TEXT,
                    body BLOB,
                    PRIMARY KEY (scope, key)
                ) WITHOUT ROWID;
                CREATE INDEX idempotency_keys_by_age ON idempotency_keys(claimed_at);
                """)
        }
        migrator.registerMigration("v16: oauth") { db in
            // OAuth clients the account registers, and their authorization codes (by keyed hash,
            // kept a day past expiry so a replay is recognised). An access token is an app key
            // issued to a client: deleting the client deletes its keys.
            try db.execute(sql: """
                CREATE TABLE oauth_clients (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    redirect_uris TEXT NOT NULL,
                    secret_hash BLOB NOT NULL,
                    secret_sealed BLOB NOT NULL,
                    created_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE oauth_codes (
                    hash BLOB PRIMARY KEY NOT NULL,
                    client_id TEXT NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE,
                    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                    redirect_uri TEXT NOT NULL,
                    redirect_uri_given INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    issued_key_id TEXT
                ) WITHOUT ROWID;
                CREATE INDEX oauth_codes_by_expiry ON oauth_codes(expires_at);
                CREATE INDEX oauth_codes_by_client ON oauth_codes(client_id);
                CREATE INDEX oauth_codes_by_app ON oauth_codes(app_id);
                ALTER TABLE api_keys ADD COLUMN oauth_client_id TEXT REFERENCES oauth_clients(id) ON DELETE CASCADE;
                CREATE INDEX api_keys_by_oauth_client ON api_keys(oauth_client_id) WHERE oauth_client_id IS NOT NULL;
                """)
        }
        return migrator
    }
}
