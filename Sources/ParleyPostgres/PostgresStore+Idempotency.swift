import Foundation
import ParleyDomain
import PostgresNIO

extension PostgresStore {
    public func claimIdempotencyKey(
        _ key: IdempotencyKey, request: String, at now: Timestamp, staleBefore: Timestamp, abandonedBefore: Timestamp
    ) async throws -> IdempotencyRecord? {
        try await write { connection in
            // Concurrent claims of one key meet on its primary key: the second waits for the
            // first to commit, then finds its row live (and locked, so still there to be read).
            let claimed = try await connection.run(
                """
                INSERT INTO idempotency_keys (scope, key, request, claimed_at)
                VALUES (\(key.scope), \(key.value), \(request), \(now.millisecondsSince1970))
                ON CONFLICT (scope, key) DO UPDATE SET
                    request = EXCLUDED.request, claimed_at = EXCLUDED.claimed_at, body_digest = NULL, status = NULL, content_type = NULL, body = NULL
                WHERE idempotency_keys.claimed_at < \(staleBefore.millisecondsSince1970)
                    OR (idempotency_keys.status IS NULL AND idempotency_keys.claimed_at < \(abandonedBefore.millisecondsSince1970))
                RETURNING claimed_at
                """)
            guard claimed == 0 else { return nil }
            guard let row = try await connection.row("SELECT * FROM idempotency_keys WHERE scope = \(key.scope) AND key = \(key.value)") else {
                throw CorruptRow("the idempotency key just found live is missing")
            }
            return try Self.idempotencyRecord(row)
        }
    }

    public func completeIdempotencyKey(_ key: IdempotencyKey, claimedAt: Timestamp, bodyDigest: String?, answer: RecordedAnswer) async throws {
        try await write { connection in
            try await connection.run(
                """
                UPDATE idempotency_keys SET body_digest = \(bodyDigest), status = \(answer.status), content_type = \(answer.contentType),
                    body = \(Data(answer.body))
                WHERE scope = \(key.scope) AND key = \(key.value) AND claimed_at = \(claimedAt.millisecondsSince1970)
                """)
        }
    }

    public func releaseIdempotencyKey(_ key: IdempotencyKey, claimedAt: Timestamp) async throws {
        try await write { connection in
            try await connection.run(
                """
                DELETE FROM idempotency_keys
                WHERE scope = \(key.scope) AND key = \(key.value) AND claimed_at = \(claimedAt.millisecondsSince1970) AND status IS NULL
                """)
        }
    }

    public func pruneIdempotencyKeys(claimedBefore before: Timestamp) async throws -> Int {
        try await write { connection in
            try await connection.run("DELETE FROM idempotency_keys WHERE claimed_at < \(before.millisecondsSince1970) RETURNING 1")
        }
    }

    static func idempotencyRecord(_ row: Columns) throws -> IdempotencyRecord {
        let status = try row("status", as: Int?.self)
        let contentType = try row("content_type", as: String?.self)
        let body = try row("body", as: Data?.self)
        return IdempotencyRecord(
            key: IdempotencyKey(scope: try row("scope", as: String.self), value: try row("key", as: String.self)),
            request: try row("request", as: String.self), claimedAt: try row.timestamp("claimed_at"),
            bodyDigest: try row("body_digest", as: String?.self),
            answer: status.map { RecordedAnswer(status: $0, contentType: contentType, body: Array(body ?? Data())) })
    }
}
