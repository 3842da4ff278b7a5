import Logging
import PostgresNIO

/// The schema, as named steps applied in order and recorded in `schema_migrations`, so a node
/// started on an older database brings it up to date and never re-runs a step. Append new steps;
/// never edit one that has shipped.
///
/// The steps up to v13 mirror `SQLiteMigrations` (same names, same tables, same invariants in the
/// schema: foreign keys with cascades, unique indexes, NOT NULL), in PostgreSQL's types: BIGINT
/// milliseconds, BOOLEAN, BYTEA, JSON as TEXT; later ones may concern several nodes only. Ids are `COLLATE "C"` so they sort by their bytes,
/// which is creation order, whatever the database's locale: cursor paging relies on it.
enum PostgresMigrations {
    struct Step {
        let name: String
        let statements: [String]
    }

    /// Several nodes may start at once: the first takes this lock and migrates; the others wait
    /// for it, then find every step recorded. The second key is the schema, so installations in
    /// different schemas of one database migrate side by side.
    static let lockSpace: Int32 = 0x5061_724d  // "ParM"

    /// `schema`: the URL's `search_path`, created here when missing (tables go into it).
    static func apply(_ connection: PostgresConnection, schema: String?, logger: Logger) async throws {
        try await connection.run("SELECT pg_advisory_xact_lock(\(lockSpace), hashtext(current_setting('search_path')))")
        if let schema {
            // A plain identifier (PostgresURL checks it), so splicing it in is safe.
            try await connection.run(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"))
        }
        try await connection.run(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        let applied = Set(try await connection.rows("SELECT name FROM schema_migrations").map { try $0("name", as: String.self) })
        for step in steps where !applied.contains(step.name) {
            logger.info("Applying migration", metadata: ["step": "\(step.name)"])
            for statement in step.statements {
                try await connection.run(PostgresQuery(unsafeSQL: statement))
            }
            try await connection.run("INSERT INTO schema_migrations (name) VALUES (\(step.name))")
        }
    }

    static let steps: [Step] = [
        Step(name: "v1: apps, keys, users", statements: [
            """
            CREATE TABLE apps (
                id TEXT COLLATE "C" PRIMARY KEY,
                display_name TEXT NOT NULL,
                settings TEXT NOT NULL,
                metadata TEXT
            )
            """,
            """
            CREATE TABLE api_keys (
                id TEXT COLLATE "C" PRIMARY KEY,
                scope TEXT NOT NULL CHECK (scope IN ('account', 'app', 'integration')),
                app_id TEXT COLLATE "C" REFERENCES apps(id) ON DELETE CASCADE,
                integration_id TEXT COLLATE "C",
                display_name TEXT,
                secret_hash BYTEA NOT NULL,
                secret_sealed BYTEA NOT NULL,
                CHECK ((scope = 'account') = (app_id IS NULL))
            )
            """,
            "CREATE INDEX api_keys_by_app ON api_keys(app_id, scope, id)",
            """
            CREATE TABLE users (
                id TEXT COLLATE "C" PRIMARY KEY,
                app_id TEXT COLLATE "C" NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                external_id TEXT,
                zendesk_id TEXT,
                brand_id TEXT,
                signed_up_at BIGINT NOT NULL,
                to_be_retained BOOLEAN NOT NULL,
                profile TEXT NOT NULL,
                metadata TEXT NOT NULL,
                authenticated BOOLEAN NOT NULL
            )
            """,
            "CREATE INDEX users_by_app ON users(app_id, id)",
            """
            CREATE UNIQUE INDEX users_by_external_id ON users(app_id, coalesce(brand_id, ''), external_id)
                WHERE external_id IS NOT NULL
            """,
            """
            CREATE TABLE user_identities (
                user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                app_id TEXT COLLATE "C" NOT NULL,
                type TEXT NOT NULL,
                value TEXT NOT NULL,
                verification TEXT,
                position INTEGER NOT NULL,
                PRIMARY KEY (user_id, type, value)
            )
            """,
            "CREATE INDEX user_identities_by_value ON user_identities(app_id, type, value)",
        ]),
        Step(name: "v2: conversations, participants, messages", statements: [
            """
            CREATE TABLE conversations (
                id TEXT COLLATE "C" PRIMARY KEY,
                app_id TEXT COLLATE "C" NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                type TEXT NOT NULL CHECK (type IN ('personal', 'sdkGroup')),
                display_name TEXT,
                description TEXT,
                icon_url TEXT,
                metadata TEXT,
                is_default BOOLEAN NOT NULL,
                business_last_read BIGINT,
                last_updated_at BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                message_count INTEGER NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX conversations_by_app ON conversations(app_id, id)",
            """
            CREATE TABLE participants (
                id TEXT COLLATE "C" PRIMARY KEY,
                conversation_id TEXT COLLATE "C" NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
                user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                unread_count INTEGER NOT NULL DEFAULT 0,
                last_read BIGINT,
                client_associations TEXT NOT NULL DEFAULT '[]',
                UNIQUE (conversation_id, user_id)
            )
            """,
            "CREATE INDEX participants_by_conversation ON participants(conversation_id, id)",
            "CREATE INDEX participants_by_user ON participants(user_id, conversation_id)",
            // The primary key leads with the conversation: the latest page is one index range scan.
            """
            CREATE TABLE messages (
                conversation_id TEXT COLLATE "C" NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
                id TEXT COLLATE "C" NOT NULL,
                received BIGINT NOT NULL,
                author TEXT NOT NULL,
                content TEXT NOT NULL,
                source TEXT NOT NULL,
                metadata TEXT,
                destination TEXT,
                override TEXT,
                PRIMARY KEY (conversation_id, id)
            )
            """,
        ]),
        Step(name: "v3: integrations, webhooks", statements: [
            """
            CREATE TABLE integrations (
                id TEXT COLLATE "C" PRIMARY KEY,
                app_id TEXT COLLATE "C" NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                type TEXT NOT NULL,
                status TEXT NOT NULL,
                settings TEXT NOT NULL,
                secrets_hash BYTEA,
                secrets_sealed BYTEA
            )
            """,
            "CREATE INDEX integrations_by_app ON integrations(app_id, id)",
            """
            CREATE TABLE webhooks (
                id TEXT COLLATE "C" PRIMARY KEY,
                integration_id TEXT COLLATE "C" NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                version TEXT NOT NULL,
                target TEXT NOT NULL,
                triggers TEXT NOT NULL,
                secret TEXT NOT NULL,
                include_full_user BOOLEAN NOT NULL,
                include_full_source BOOLEAN NOT NULL
            )
            """,
            "CREATE INDEX webhooks_by_integration ON webhooks(integration_id, id)",
        ]),
        Step(name: "v4: outbox events and deliveries", statements: [
            // seq is drawn while the writer holds its app's advisory lock (PostgresStore.record), so
            // within an app seq order is commit order: the order every webhook receives events in.
            """
            CREATE TABLE events (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT COLLATE "C" NOT NULL UNIQUE,
                app_id TEXT COLLATE "C" NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                type TEXT NOT NULL,
                conversation_id TEXT COLLATE "C",
                created_at BIGINT NOT NULL,
                payload TEXT NOT NULL
            )
            """,
            // claimed_until: the lease of the node sending this delivery (PostgresStore.dueBatches).
            """
            CREATE TABLE deliveries (
                webhook_id TEXT COLLATE "C" NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
                event_seq BIGINT NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
                state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL,
                last_attempt_at BIGINT,
                last_status_code INTEGER,
                last_error TEXT,
                claimed_until BIGINT,
                PRIMARY KEY (webhook_id, event_seq)
            )
            """,
            // Only pending rows are ever searched by state: a partial index stays small as the log grows.
            "CREATE INDEX deliveries_pending ON deliveries(webhook_id, event_seq) WHERE state = 'pending'",
            "CREATE INDEX deliveries_by_event ON deliveries(event_seq)",
        ]),
        Step(name: "v5: clients and channel jobs", statements: [
            """
            CREATE TABLE clients (
                id TEXT COLLATE "C" PRIMARY KEY,
                app_id TEXT COLLATE "C" NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                integration_id TEXT COLLATE "C" NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                type TEXT NOT NULL,
                status TEXT NOT NULL,
                external_id TEXT NOT NULL,
                display_name TEXT,
                linked_at BIGINT,
                last_seen BIGINT,
                conversation_id TEXT COLLATE "C" REFERENCES conversations(id) ON DELETE SET NULL,
                is_primary BOOLEAN NOT NULL
            )
            """,
            "CREATE INDEX clients_by_user ON clients(user_id, id)",
            // No foreign key to clients: a job outlives a client removed after a failed link, so its
            // error stays readable. claimed_until: the lease of the node sending it.
            """
            CREATE TABLE channel_jobs (
                id TEXT COLLATE "C" PRIMARY KEY,
                app_id TEXT COLLATE "C" NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                integration_id TEXT COLLATE "C" NOT NULL,
                client_id TEXT COLLATE "C" NOT NULL,
                activates_client BOOLEAN NOT NULL,
                payload TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL,
                last_attempt_at BIGINT,
                last_status_code INTEGER,
                last_error TEXT,
                claimed_until BIGINT
            )
            """,
            "CREATE INDEX channel_jobs_due ON channel_jobs(next_attempt_at, id) WHERE state = 'pending'",
        ]),
        Step(name: "v6: inbound channels and message deliveries", statements: [
            "ALTER TABLE clients ADD COLUMN confirmation TEXT NOT NULL DEFAULT 'immediate'",
            "ALTER TABLE clients ADD COLUMN subject TEXT",
            // Inbound mail is matched to clients by address; deliveries find a conversation's clients.
            "CREATE INDEX clients_by_address ON clients(integration_id, external_id)",
            "CREATE INDEX clients_by_conversation ON clients(conversation_id, status)",
            // Unanswered prompts expire.
            "CREATE INDEX clients_pending ON clients(status, confirmation, id)",
            "ALTER TABLE channel_jobs ADD COLUMN message_id TEXT COLLATE \"C\"",
            "ALTER TABLE channel_jobs ADD COLUMN conversation_id TEXT COLLATE \"C\"",
            // A provider's retry of an inbound message is recognised by its key and stored once.
            "ALTER TABLE messages ADD COLUMN external_key TEXT",
            "CREATE UNIQUE INDEX messages_by_external_key ON messages(external_key) WHERE external_key IS NOT NULL",
        ]),
        // Sealed by the server (`WebhookService.sealStoredSecrets`) at start-up, which then
        // empties `secret`: SQL alone cannot seal.
        Step(name: "v7: sealed webhook secrets", statements: [
            "ALTER TABLE webhooks ADD COLUMN secret_sealed BYTEA",
        ]),
        // A provider may repeat a delivery report (Twilio's status callbacks, Mailgun's events).
        Step(name: "v8: channel reports recorded once", statements: [
            "ALTER TABLE channel_jobs ADD COLUMN reported BOOLEAN NOT NULL DEFAULT FALSE",
        ]),
        // One switchboard per app (the unique index refuses a second even across nodes); its
        // integrations go with it or with their integration, and references to them (default,
        // next, a conversation's active and pending) read as none once gone.
        Step(name: "v9: switchboards", statements: [
            """
            CREATE TABLE switchboards (
                id TEXT COLLATE "C" PRIMARY KEY,
                app_id TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES apps(id) ON DELETE CASCADE,
                enabled BOOLEAN NOT NULL,
                default_switchboard_integration_id TEXT COLLATE "C",
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE switchboard_integrations (
                id TEXT COLLATE "C" PRIMARY KEY,
                switchboard_id TEXT COLLATE "C" NOT NULL REFERENCES switchboards(id) ON DELETE CASCADE,
                integration_id TEXT COLLATE "C" NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                integration_type TEXT NOT NULL,
                name TEXT NOT NULL,
                deliver_standby_events BOOLEAN NOT NULL,
                next_switchboard_integration_id TEXT COLLATE "C",
                message_history_count INTEGER,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX switchboard_integrations_by_switchboard ON switchboard_integrations(switchboard_id, id)",
            "CREATE INDEX switchboard_integrations_by_integration ON switchboard_integrations(integration_id)",
            "ALTER TABLE conversations ADD COLUMN active_switchboard_integration_id TEXT COLLATE \"C\"",
            "ALTER TABLE conversations ADD COLUMN pending_switchboard_integration_id TEXT COLLATE \"C\"",
            // Every read of a conversation goes through this view (a later column added to
            // `conversations` needs the view recreated: PostgreSQL expands `c.*` here).
            """
            CREATE VIEW conversation_rows AS
                SELECT c.*,
                       a.name AS active_name, a.integration_id AS active_integration_id, a.integration_type AS active_integration_type,
                       p.name AS pending_name, p.integration_id AS pending_integration_id, p.integration_type AS pending_integration_type
                FROM conversations c
                LEFT JOIN switchboard_integrations a ON a.id = c.active_switchboard_integration_id
                LEFT JOIN switchboard_integrations p ON p.id = c.pending_switchboard_integration_id
            """,
        ]),
        // Served by token (unguessable), so the token is the key.
        Step(name: "v10: attachments", statements: [
            """
            CREATE TABLE attachments (
                token TEXT COLLATE "C" PRIMARY KEY,
                app_id TEXT COLLATE "C" NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                conversation_id TEXT COLLATE "C",
                for_message BOOLEAN NOT NULL,
                media_type TEXT NOT NULL,
                file_name TEXT NOT NULL,
                size BIGINT NOT NULL,
                digest TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX attachments_by_app ON attachments(app_id)",
        ]),
        // A record deleted, by any statement or cascade, leaves its token in attachment_removals
        // (same transaction), so its file is removed even if the process stops right after.
        Step(name: "v11: attachments go with their conversation, message and user", statements: [
            "CREATE TABLE attachment_removals (token TEXT COLLATE \"C\" PRIMARY KEY)",
            """
            CREATE FUNCTION attachment_removed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
            BEGIN
                INSERT INTO attachment_removals (token) VALUES (OLD.token) ON CONFLICT DO NOTHING;
                RETURN NULL;
            END
            $$
            """,
            "CREATE TRIGGER attachments_removed AFTER DELETE ON attachments FOR EACH ROW EXECUTE FUNCTION attachment_removed()",
            "DELETE FROM attachments WHERE conversation_id IS NOT NULL AND conversation_id NOT IN (SELECT id FROM conversations)",
            "ALTER TABLE attachments ADD COLUMN message_id TEXT COLLATE \"C\", ADD COLUMN user_id TEXT COLLATE \"C\" REFERENCES users(id) ON DELETE CASCADE",
            "ALTER TABLE attachments ADD FOREIGN KEY (conversation_id) REFERENCES conversations(id) ON DELETE CASCADE",
            "ALTER TABLE attachments ADD FOREIGN KEY (conversation_id, message_id) REFERENCES messages(conversation_id, id) ON DELETE CASCADE",
            "CREATE INDEX attachments_by_message ON attachments(conversation_id, message_id)",
            "CREATE INDEX attachments_by_user ON attachments(user_id)",
            "CREATE INDEX attachments_unused ON attachments(created_at) WHERE for_message AND message_id IS NULL",
        ]),
        // Providers that report a message's fate by their own id (WhatsApp's wamid, Messenger's
        // mid) find the job by it.
        Step(name: "v12: channel jobs keep the provider's message id", statements: [
            "ALTER TABLE channel_jobs ADD COLUMN external_message_id TEXT COLLATE \"C\"",
            "CREATE INDEX channel_jobs_by_external_id ON channel_jobs(integration_id, external_message_id) WHERE external_message_id IS NOT NULL",
        ]),
        // Each conversation's events numbered 1, 2, 3 … in commit order (drawn under the app's
        // outbox lock, like `seq`), for realtime clients that resume from the last number they
        // saw; each numbered event NOTIFYs `PostgresEventFeed.channel` as its transaction commits,
        // so every node's sockets hear of it (docs/MESSENGER.md). Devices: the browsers (and apps)
        // through which a user's `sdk` client talks.
        Step(name: "v13: conversation event numbers and devices", statements: [
            "ALTER TABLE events ADD COLUMN conversation_seq BIGINT",
            """
            UPDATE events SET conversation_seq = numbered.n
            FROM (SELECT seq, row_number() OVER (PARTITION BY conversation_id ORDER BY seq) AS n FROM events WHERE conversation_id IS NOT NULL) AS numbered
            WHERE events.seq = numbered.seq
            """,
            "CREATE UNIQUE INDEX events_by_conversation ON events(conversation_id, conversation_seq) WHERE conversation_id IS NOT NULL",
            """
            CREATE FUNCTION event_committed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
            BEGIN
                PERFORM pg_notify(left('parley_events:' || current_schema(), 63),
                                  NEW.app_id || ' ' || NEW.conversation_id || ' ' || NEW.conversation_seq || ' ' || NEW.type);
                RETURN NULL;
            END
            $$
            """,
            "CREATE TRIGGER events_committed AFTER INSERT ON events FOR EACH ROW WHEN (NEW.conversation_id IS NOT NULL) EXECUTE FUNCTION event_committed()",
            """
            CREATE TABLE devices (
                id TEXT COLLATE "C" PRIMARY KEY,
                client_id TEXT COLLATE "C" NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
                integration_id TEXT COLLATE "C" NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                guid TEXT COLLATE "C" NOT NULL,
                type TEXT NOT NULL,
                status TEXT NOT NULL,
                info TEXT,
                last_seen BIGINT NOT NULL,
                UNIQUE (integration_id, guid)
            )
            """,
            "CREATE INDEX devices_by_client ON devices(client_id, id)",
            // The inbox lists an app's conversations by last activity.
            "CREATE INDEX conversations_by_activity ON conversations(app_id, last_updated_at)",
        ]),
        // Several nodes without serialised writes (PostgreSQL only; SQLite has one writer and
        // one process). A node's claim on a webhook's queue moves from the head delivery to the
        // webhook, since a lower `seq` may now commit after a higher one of another conversation
        // (PostgresStore.record, dueBatches). Changes to keys and apps NOTIFY `parley_cache:{schema}`
        // with the table's name, so every node forgets its cached rows (PostgresCaches).
        Step(name: "v14: webhook claims and cache notifications", statements: [
            // Realtime notices are sent after commit (CommittedNotices): a NOTIFY inside the
            // transaction serialised every commit of the database on one lock.
            "DROP TRIGGER events_committed ON events",
            "DROP FUNCTION event_committed()",
            "ALTER TABLE webhooks ADD COLUMN claimed_until BIGINT",
            "ALTER TABLE deliveries DROP COLUMN claimed_until",
            """
            CREATE FUNCTION cache_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
            BEGIN
                PERFORM pg_notify(left('parley_cache:' || current_schema(), 63), TG_ARGV[0]);
                RETURN NULL;
            END
            $$
            """,
            "CREATE TRIGGER api_keys_changed AFTER UPDATE OR DELETE OR TRUNCATE ON api_keys FOR EACH STATEMENT EXECUTE FUNCTION cache_changed('api_keys')",
            "CREATE TRIGGER apps_changed AFTER UPDATE OR DELETE OR TRUNCATE ON apps FOR EACH STATEMENT EXECUTE FUNCTION cache_changed('apps')",
        ]),
        Step(name: "v15: idempotency keys", statements: [
            """
            CREATE TABLE idempotency_keys (
                scope TEXT COLLATE "C" NOT NULL,
                key TEXT COLLATE "C" NOT NULL,
                request TEXT NOT NULL,
                claimed_at BIGINT NOT NULL,
                body_digest TEXT,
                status INTEGER,
                content_type TEXT,
                body BYTEA,
                PRIMARY KEY (scope, key)
            )
            """,
            "CREATE INDEX idempotency_keys_by_age ON idempotency_keys(claimed_at)",
        ]),
        // OAuth clients, their codes (by keyed hash, kept a day past expiry so a replay is
        // recognised), and the client an access token's app key was issued to.
        Step(name: "v16: oauth", statements: [
            """
            CREATE TABLE oauth_clients (
                id TEXT COLLATE "C" PRIMARY KEY,
                name TEXT NOT NULL,
                redirect_uris TEXT NOT NULL,
                secret_hash BYTEA NOT NULL,
                secret_sealed BYTEA NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE oauth_codes (
                hash BYTEA PRIMARY KEY,
                client_id TEXT COLLATE "C" NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE,
                app_id TEXT COLLATE "C" NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
                redirect_uri TEXT NOT NULL,
                redirect_uri_given BOOLEAN NOT NULL,
                expires_at BIGINT NOT NULL,
                issued_key_id TEXT COLLATE "C"
            )
            """,
            "CREATE INDEX oauth_codes_by_expiry ON oauth_codes(expires_at)",
            "CREATE INDEX oauth_codes_by_client ON oauth_codes(client_id)",
            "CREATE INDEX oauth_codes_by_app ON oauth_codes(app_id)",
            "ALTER TABLE api_keys ADD COLUMN oauth_client_id TEXT COLLATE \"C\" REFERENCES oauth_clients(id) ON DELETE CASCADE",
            "CREATE INDEX api_keys_by_oauth_client ON api_keys(oauth_client_id) WHERE oauth_client_id IS NOT NULL",
        ]),
    ]
}
