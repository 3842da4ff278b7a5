import Foundation
import Testing

/// `GET /admin/backup` as the HTTP suite sees it, on either engine (`BackupTests` runs the
/// commands against real processes).
@Suite("Backup endpoint")
struct BackupEndpointTests {
    @Test("An account key gets the SQLite database's copy; other keys 403, no key 401; on PostgreSQL 501 naming pg_dump")
    func backupEndpoint() async throws {
        try await TestServer.run { api in
            let appId = try await api.createApp()
            let appKey = try await api.createAppKey(appId: appId)
            #expect(try await api.as_(appKey).get("/admin/backup").status == 403)
            #expect(try await api.call(.get, "/admin/backup", anonymous: true).status == 401)
            let answered = try await api.get("/admin/backup")
            if TestServer.usesPostgres {
                #expect(answered.status == 501)
                #expect(answered.errorCode == "not_implemented")
                #expect(answered.text.contains("pg_dump"), "\(answered.text)")
            } else {
                #expect(answered.status == 200)
                #expect(answered.headers[.contentType] == "application/vnd.sqlite3")
                #expect(answered.body.starts(with: Array("SQLite format 3\u{0}".utf8)), "an SQLite file")
                #expect(answered.body.count > 4096)
            }
        }
    }
}
