-- pgbench script for bench/run's postgres part: what PostMessage asks of PostgreSQL for a business text message in an
-- app without switchboard, webhook or clients, as PostgresStore sends it (the statements of `AppendMessageSQL` and
-- `RecordEventSQL`, with COMMIT and the realtime notice), run by a client that costs nothing. Keep it in step with
-- those statements. bench/run replaces {conversation} (one of the run's conversations, picked by :conv), {app} and
-- {lockspace}. Times and texts hold no ':' followed by a letter or digit: pgbench would read it as a variable.
\set conv random(1, 64)
\set now 1800000000000 + random(0, 100000000)
BEGIN;
WITH c AS (
    UPDATE conversations SET message_count = message_count + 1, last_updated_at = :now
    WHERE id = {conversation} AND message_count < 1000000000 RETURNING *
), inserted AS (
    INSERT INTO messages (conversation_id, id, received, author, content, source, metadata, destination, override, external_key)
    SELECT c.id, substr(md5(random()::text), 1, 24), :now, '{"displayName":"Bench","type":"business"}',
           '{"text":"Hello from bench/run, a short business message.","type":"text"}', '{"type":"api"}', NULL, NULL, NULL, NULL
    FROM c
), counts AS (
    UPDATE participants SET unread_count = CASE WHEN user_id = NULL::text THEN 0 ELSE unread_count + 1 END,
                            last_read = CASE WHEN user_id = NULL::text THEN :now ELSE last_read END
    WHERE conversation_id = (SELECT id FROM c)
)
SELECT c.id, c.app_id, c.type, c.display_name, c.description, c.icon_url, c.metadata, c.is_default, c.business_last_read,
       c.last_updated_at, c.created_at, c.active_switchboard_integration_id, c.pending_switchboard_integration_id,
       a.name AS active_name, a.integration_id AS active_integration_id, a.integration_type AS active_integration_type,
       p.name AS pending_name, p.integration_id AS pending_integration_id, p.integration_type AS pending_integration_type,
       EXISTS (SELECT 1 FROM clients WHERE conversation_id = c.id AND status = 'active') AS has_active_clients,
       EXISTS (SELECT 1 FROM switchboards WHERE app_id = c.app_id) AS has_switchboard
FROM c CROSS JOIN LATERAL (SELECT pg_advisory_xact_lock({lockspace}, hashtext(c.id))) AS ordering
LEFT JOIN switchboard_integrations a ON a.id = c.active_switchboard_integration_id
LEFT JOIN switchboard_integrations p ON p.id = c.pending_switchboard_integration_id;
WITH event AS (
    INSERT INTO events (id, app_id, type, conversation_id, conversation_seq, created_at, payload)
    VALUES (substr(md5(random()::text), 1, 24), '{app}', 'conversation' || chr(58) || 'message', {conversation},
            CASE WHEN {conversation}::text IS NULL THEN NULL
                 ELSE coalesce((SELECT conversation_seq FROM events WHERE conversation_id = {conversation} AND conversation_seq IS NOT NULL
                                ORDER BY conversation_seq DESC LIMIT 1), 0) + 1 END,
            :now,
            '{"conversation":{"id":"x","type":"sdkGroup"},"message":{"author":{"displayName":"Bench","type":"business"},"content":{"text":"Hello from bench/run, a short business message.","type":"text"},"id":"x","received":"2027-01-15T08.00.00.000Z","source":{"type":"api"}}}')
    RETURNING seq, conversation_seq
), delivered AS (
    INSERT INTO deliveries (webhook_id, event_seq, state, attempts, next_attempt_at)
    SELECT webhooks.id, event.seq, 'pending', 0, :now
    FROM event, webhooks JOIN integrations ON integrations.id = webhooks.integration_id
    WHERE integrations.app_id = '{app}' AND webhooks.triggers::jsonb ? ('conversation' || chr(58) || 'message')
      AND NOT (integrations.id = ANY(ARRAY[]::text[]))
)
SELECT conversation_seq FROM event;
COMMIT;
SELECT pg_notify(left('parley_events' || chr(58) || current_schema(), 63), '{app} x 1 conversation' || chr(58) || 'message');
