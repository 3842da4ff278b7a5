import Foundation
import Hummingbird
import ParleyDomain
import ParleyWire

/// `GET /admin/backup` (Parley's extension, account keys only): a consistent copy of the SQLite
/// database while the server runs, as the body (`parley backup --to FILE` calls it). The copy is
/// made beside the database, sent, then removed. On PostgreSQL, 501 naming the database's own tools.
struct BackupController {
    let store: (any BackupStore)?
    let authenticator: Authenticator

    func register(on router: Router<APIRequestContext>) {
        let store = self.store
        let authenticator = self.authenticator
        router.get("/admin/backup") { request, context -> Response in
            let principal = try await authenticator.authenticate(authorization: request.headers.value(of: .authorization))
            guard principal.scope == .account else { throw ParleyError.forbidden("Backups need an account key") }
            guard let store else {
                throw ParleyError(
                    kind: .notImplemented, code: "not_implemented",
                    title: "Parley copies SQLite databases only; back up PostgreSQL with pg_dump or point-in-time recovery")
            }
            let path = try await store.backupCopy()
            guard let file = FileHandle(forReadingAtPath: path),
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
            else {
                try? FileManager.default.removeItem(atPath: path)
                throw ParleyError(kind: .unavailable, code: "service_unavailable", title: "The backup could not be read back")
            }
            context.logger.notice("Backup sent", metadata: ["bytes": "\(size)"])
            let body = ResponseBody(contentLength: size) { writer in
                defer {
                    try? file.close()
                    try? FileManager.default.removeItem(atPath: path)
                }
                while let chunk = try file.read(upToCount: 256 * 1024), !chunk.isEmpty {
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok,
                headers: [.contentType: "application/vnd.sqlite3", .contentDisposition: "attachment; filename=\"parley-backup.sqlite\""],
                body: body)
        }
    }
}
