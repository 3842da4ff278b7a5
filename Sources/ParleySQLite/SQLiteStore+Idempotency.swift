import Foundation
import GRDB
import ParleyDomain

extension SQLiteStore {
    public func claimIdempotencyKey(
        _ key: IdempotencyKey, request: String, at now: Timestamp, staleBefore: Timestamp, abandonedBefore: Timestamp
    ) async throws -> IdempotencyRecord? {
        // Not durable: the claim only matters while its request runs, and the answer recorded
        // later is written durably, which (one WAL, in order) makes the claim durable too.
        try await write(durable: false) { db in
            if let existing = try Self.decodeOne(
                db.cachedStatement(sql: "SELECT * FROM idempotency_keys WHERE scope = ? AND key = ?"), arguments: [key.scope, key.value],
                Self.idempotencyRecord),
                existing.claimedAt >= staleBefore, existing.answer != nil || existing.claimedAt >= abandonedBefore
            {
                return existing
            }
            try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO idempotency_keys (scope, key, request, claimed_at, body_digest, status, content_type, body)
                    VALUES (?, ?, ?, ?, NULL, NULL, NULL, NULL)
                    """
            ).execute(arguments: [key.scope, key.value, request, now.millisecondsSince1970])
            return nil
        }
    }

    public func completeIdempotencyKey(_ key: IdempotencyKey, claimedAt: Timestamp, bodyDigest: String?, answer: RecordedAnswer) async throws {
        try await write { db in
            try db.cachedStatement(
                sql: """
                    UPDATE idempotency_keys SET body_digest = ?, status = ?, content_type = ?, body = ?
                    WHERE scope = ? AND key = ? AND claimed_at = ?
                    """
            ).execute(arguments: [
                bodyDigest, answer.status, answer.contentType, Data(answer.body), key.scope, key.value, claimedAt.millisecondsSince1970,
            ])
        }
    }

    public func releaseIdempotencyKey(_ key: IdempotencyKey, claimedAt: Timestamp) async throws {
        try await write(durable: false) { db in
            try db.cachedStatement(sql: "DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND claimed_at = ? AND status IS NULL")
                .execute(arguments: [key.scope, key.value, claimedAt.millisecondsSince1970])
        }
    }

    public func pruneIdempotencyKeys(claimedBefore before: Timestamp) async throws -> Int {
        try await write(durable: false) { db in
            try db.cachedStatement(sql: "DELETE FROM idempotency_keys WHERE claimed_at < ?").execute(arguments: [before.millisecondsSince1970])
            return db.changesCount
        }
    }

    static func idempotencyRecord(_ row: Row) throws -> IdempotencyRecord {
        let status: Int? = try row.decode(forColumn: "status")
        let contentType: String? = try row.decode(forColumn: "content_type")
        let body: Data? = try row.decode(forColumn: "body")
        return IdempotencyRecord(
            key: IdempotencyKey(scope: try row.decode(forColumn: "scope"), value: try row.decode(forColumn: "key")),
            request: try row.decode(forColumn: "request"),
            claimedAt: Timestamp(millisecondsSince1970: try row.decode(forColumn: "claimed_at")),
            bodyDigest: try row.decode(forColumn: "body_digest"),
            answer: status.map { RecordedAnswer(status: $0, contentType: contentType, body: Array(body ?? Data())) })
    }
}
