import Foundation
import ParleyTestSupport
import Testing

/// `parley backup` against a running server, and `parley restore` once it has stopped: real
/// processes, as an operator runs them.
@Suite("Backup and restore")
struct BackupTests {
    static let key = ("act_000000000000000000bac0de", "backup-account-secret-0123456789abcdef")

    static func run(_ arguments: [String]) async throws -> (status: Int32, text: String) {
        let process = try ServerProcess(arguments, environment: ["PARLEY_ACCOUNT_KEY_ID": key.0, "PARLEY_ACCOUNT_KEY_SECRET": key.1])
        let status = try await process.waitForExit(timeout: .seconds(60)).status
        return (status, process.text)
    }

    @Test("A backup taken while users are being created restores to a database that has what was there before, and not what came after")
    func backupWhileServingThenRestore() async throws {
        let database = ServeCommandTests.temporaryDatabase()
        let backup = Scratch.file("backup.sqlite")
        let environment = ["PARLEY_ACCOUNT_KEY_ID": Self.key.0, "PARLEY_ACCOUNT_KEY_SECRET": Self.key.1]
        let (server, base) = try await ServerProcess.serve(database: database, environment: environment)
        defer { server.signal(SIGKILL) }
        let created = try await HTTP.send("POST", base.appendingPathComponent("v2/apps"), basic: Self.key, json: #"{"displayName":"Backed up"}"#)
        let appId = try #require((created.body["app"] as? [String: Any])?["id"] as? String)
        let users = base.appendingPathComponent("v2/apps/\(appId)/users")
        #expect(try await HTTP.send("POST", users, basic: Self.key, json: #"{"externalId":"before"}"#).status == 201)

        // Writes go on while the copy is taken (paced: the rest of the suite shares the cores).
        let writer = Task {
            var index = 0
            while !Task.isCancelled {
                _ = try? await HTTP.send("POST", users, basic: Self.key, json: #"{"externalId":"during-\#(index)"}"#)
                index += 1
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        let (status, text) = try await Self.run(["backup", "--to", backup, "--url", base.absoluteString])
        writer.cancel()
        #expect(status == 0, "\(text)")
        #expect(text.contains("integrity checked"), "\(text)")
        #expect(try await HTTP.send("POST", users, basic: Self.key, json: #"{"externalId":"after"}"#).status == 201)

        // Only an account key may take a copy.
        let appKey = try await HTTP.send("POST", base.appendingPathComponent("v2/apps/\(appId)/keys"), basic: Self.key, json: #"{"displayName":"k"}"#)
        let keyObject = try #require(appKey.body["key"] as? [String: Any])
        let appCredentials = (try #require(keyObject["id"] as? String), try #require(keyObject["secret"] as? String))
        #expect(try await HTTP.send("GET", base.appendingPathComponent("admin/backup"), basic: appCredentials).status == 403)
        #expect(try await HTTP.send("GET", base.appendingPathComponent("admin/backup")).status == 401)

        // A running server's database is not replaced.
        let refused = try await Self.run(["restore", "--from", backup, "--database", "sqlite:\(database)"])
        #expect(refused.status != 0)
        #expect(refused.text.contains("in use"), "\(refused.text)")

        server.signal(SIGTERM)
        #expect(try await server.waitForExit().status == 0)
        let restored = try await Self.run(["restore", "--from", backup, "--database", "sqlite:\(database)"])
        #expect(restored.status == 0, "\(restored.text)")

        let (again, againBase) = try await ServerProcess.serve(database: database, environment: environment)
        defer { again.signal(SIGKILL) }
        let againUsers = againBase.appendingPathComponent("v2/apps/\(appId)/users")
        #expect(try await HTTP.send("GET", againUsers.appendingPathComponent("before"), basic: Self.key).status == 200)
        #expect(try await HTTP.send("GET", againUsers.appendingPathComponent("after"), basic: Self.key).status == 404)
        // The key made after the copy is gone with it; the server key still opens the stored secrets.
        #expect(try await HTTP.send("GET", againBase.appendingPathComponent("v2/apps/\(appId)"), basic: appCredentials).status == 401)
        #expect(try await HTTP.send("POST", againUsers, basic: Self.key, json: #"{"externalId":"later"}"#).status == 201)
    }

    @Test("A file that is not a Parley database is refused, and the database is left as it was")
    func refusesGarbage() async throws {
        let database = ServeCommandTests.temporaryDatabase()
        let garbage = Scratch.file("garbage.sqlite")
        try Data("not a database at all".utf8).write(to: URL(fileURLWithPath: garbage))
        let result = try await Self.run(["restore", "--from", garbage, "--database", "sqlite:\(database)"])
        #expect(result.status != 0)
        #expect(!FileManager.default.fileExists(atPath: database), "nothing was put in place")
    }

    @Test("parley export writes an app's lines to a file, checked complete; a refused key leaves no file")
    func export() async throws {
        let database = ServeCommandTests.temporaryDatabase()
        let environment = ["PARLEY_ACCOUNT_KEY_ID": Self.key.0, "PARLEY_ACCOUNT_KEY_SECRET": Self.key.1]
        let (server, base) = try await ServerProcess.serve(database: database, environment: environment)
        defer { server.signal(SIGKILL) }
        let created = try await HTTP.send("POST", base.appendingPathComponent("v2/apps"), basic: Self.key, json: #"{"displayName":"Exported"}"#)
        let appId = try #require((created.body["app"] as? [String: Any])?["id"] as? String)
        for index in 0..<3 {
            let user = try await HTTP.send(
                "POST", base.appendingPathComponent("v2/apps/\(appId)/users"), basic: Self.key, json: #"{"externalId":"user-\#(index)"}"#)
            #expect(user.status == 201)
        }
        let file = Scratch.file("export.jsonl")
        let (status, text) = try await Self.run(["export", "--app", appId, "--to", file, "--url", base.absoluteString])
        #expect(status == 0, "\(text)")
        #expect(text.contains("4 lines"), "\(text)")
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines.first?.contains(#""type":"app""#) == true)
        #expect(lines.last == #"{"lines":4,"type":"end"}"#)

        let refused = Scratch.file("refused.jsonl")
        let wrong = try await Self.run(
            ["export", "--app", appId, "--to", refused, "--url", base.absoluteString, "--key-id", Self.key.0, "--key-secret", "wrong-secret-0123456789abcdef0123"])
        #expect(wrong.status != 0)
        #expect(wrong.text.contains("401"), "\(wrong.text)")
        #expect(!FileManager.default.fileExists(atPath: refused) && !FileManager.default.fileExists(atPath: refused + ".part"))
    }
}
