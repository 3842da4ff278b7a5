import Foundation
import ParleyTestSupport
import Testing

/// `parley` as an operator runs it: real processes, real sockets, a real SQLite file.
@Suite("parley command", .serialized)
struct ServeCommandTests {
    static func temporaryDatabase() -> String {
        Scratch.directory("e2e").appendingPathComponent("parley.sqlite").path
    }

    static func announcedKey(_ text: String) -> (String, String)? {
        guard let id = text.firstMatch(of: /id:\s+(act_[0-9a-f]{24})/)?.1,
            let secret = text.firstMatch(of: /secret:\s+(\S+)/)?.1
        else { return nil }
        return (String(id), String(secret))
    }

    @Test("First start prints a working account key once; data and keys survive a restart; SIGTERM exits cleanly")
    func firstStartAndRestart() async throws {
        let database = Self.temporaryDatabase()
        let (first, base) = try await ServerProcess.serve(database: database)
        let key = try #require(Self.announcedKey(first.text), "no key announced in: \(first.text)")
        let created = try await HTTP.send("POST", base.appendingPathComponent("v2/apps"), basic: key, json: #"{"displayName":"Kept"}"#)
        #expect(created.status == 201)
        let appId = try #require((created.body["app"] as? [String: Any])?["id"] as? String)
        first.signal(SIGTERM)
        let exit = try await first.waitForExit()
        #expect(exit.status == 0 && !exit.crashed, "\(first.text)")
        #expect(!first.text.contains(key.1) || first.text.components(separatedBy: key.1).count == 2, "the secret is printed once, never logged")

        let (second, secondBase) = try await ServerProcess.serve(database: database)
        #expect(Self.announcedKey(second.text) == nil, "a database with an account key gets no new one")
        let fetched = try await HTTP.send("GET", secondBase.appendingPathComponent("v2/apps/\(appId)"), basic: key)
        #expect(fetched.status == 200)
        #expect((fetched.body["app"] as? [String: Any])?["displayName"] as? String == "Kept")
        second.signal(SIGINT)
        #expect(try await second.waitForExit().status == 0)
    }

    @Test("PARLEY_ACCOUNT_KEY_ID/SECRET provision that key and suppress the generated one")
    func environmentBootstrap() async throws {
        let key = ("act_00000000000000000000abcd", "an-operator-chosen-secret-of-32-bytes-or-more")
        let (server, base) = try await ServerProcess.serve(
            database: Self.temporaryDatabase(), environment: ["PARLEY_ACCOUNT_KEY_ID": key.0, "PARLEY_ACCOUNT_KEY_SECRET": key.1])
        defer { server.signal(SIGKILL) }
        #expect(Self.announcedKey(server.text) == nil)
        #expect(try await HTTP.send("GET", base.appendingPathComponent("v2/apps"), basic: key).status == 200)
        #expect(try await HTTP.send("GET", base.appendingPathComponent("v2/apps"), basic: (key.0, "wrong")).status == 401)
    }

    @Test("A bootstrap secret shorter than 32 bytes is refused with a clear message, not a crash")
    func shortSecret() async throws {
        let process = try ServerProcess(
            ["serve", "--port", "0", "--database", "sqlite:\(Self.temporaryDatabase())"],
            environment: ["PARLEY_ACCOUNT_KEY_ID": "act_00000000000000000000abcd", "PARLEY_ACCOUNT_KEY_SECRET": "short"])
        let exit = try await process.waitForExit()
        #expect(exit.status != 0)
        #expect(!exit.crashed)
        #expect(process.text.contains("at least 32 bytes"), "\(process.text)")
    }

    @Test("keys create-account prints {id, secret} as JSON, and the key works")
    func createAccountKey() async throws {
        let database = Self.temporaryDatabase()
        let command = try ServerProcess(["keys", "create-account", "--create", "--database", "sqlite:\(database)"])
        #expect(try await command.waitForExit().status == 0)
        let line = try #require(command.text.split(separator: "\n").first { $0.hasPrefix("{") })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        let id = try #require(json["id"])
        let secret = try #require(json["secret"])
        #expect(id.range(of: "^act_[0-9a-f]{24}$", options: .regularExpression) != nil)

        let (server, base) = try await ServerProcess.serve(database: database)
        defer { server.signal(SIGKILL) }
        #expect(Self.announcedKey(server.text) == nil)
        #expect(try await HTTP.send("GET", base.appendingPathComponent("v2/apps"), basic: (id, secret)).status == 200)
    }

    @Test("A running server holds its SQLite database: a second process on the same file stops with a message")
    func databaseHeldByOneProcess() async throws {
        let database = Self.temporaryDatabase()
        let (server, base) = try await ServerProcess.serve(database: database)
        defer { server.signal(SIGKILL) }
        let key = try #require(Self.announcedKey(server.text))
        // It waits out the lock's 5 s (a server still shutting down), then gives up.
        let second = try ServerProcess(["keys", "create-account", "--database", "sqlite:\(database)"])
        let exit = try await second.waitForExit()
        #expect(exit.status != 0 && !exit.crashed)
        #expect(second.text.contains("is in use by another process"), "\(second.text)")
        // The server went on unharmed.
        #expect(try await HTTP.send("GET", base.appendingPathComponent("v2/apps"), basic: key).status == 200)
    }

    @Test("A malformed PARLEY_PORT or database URL stops start-up with a message")
    func badConfiguration() async throws {
        for (arguments, environment, message) in [
            (["serve"], ["PARLEY_PORT": "eighty"], "PARLEY_PORT"),
            (["serve", "--database", "mysql://x"], [:], "Unrecognised database"),
            (["serve", "--database", "postgres://u@localhost/db"], [:], "PostgreSQL"),
        ] as [([String], [String: String], String)] {
            let process = try ServerProcess(arguments, environment: environment)
            let exit = try await process.waitForExit()
            #expect(exit.status != 0 && !exit.crashed)
            #expect(process.text.contains(message), "\(process.text)")
        }
    }

    @Test("Flags are checked like their variables; a busy port stops start-up before a database or key is made")
    func flagsAndBusyPort() async throws {
        let badPort = try ServerProcess(["serve", "--port", "99999", "--database", "sqlite:\(Self.temporaryDatabase())"])
        let badExit = try await badPort.waitForExit()
        #expect(badExit.status != 0 && !badExit.crashed)
        #expect(badPort.text.contains("--port must be a port number from 0 to 65535, got '99999'"), "\(badPort.text)")

        let (first, base) = try await ServerProcess.serve(database: Self.temporaryDatabase())
        defer { first.signal(SIGKILL) }
        let port = try #require(base.port)
        let database = Self.temporaryDatabase()
        let second = try ServerProcess(["serve", "--port", "\(port)", "--database", "sqlite:\(database)"])
        let exit = try await second.waitForExit()
        #expect(exit.status != 0 && !exit.crashed)
        #expect(second.text.contains("Cannot listen on 127.0.0.1:\(port): the port is in use"), "\(second.text)")
        #expect(!second.text.contains("Created an account key"), "\(second.text)")
        #expect(!FileManager.default.fileExists(atPath: database), "a database was made for a server that could not start")
    }

    @Test("keys create-account makes no new database unless --create; a missing directory is named; --version and serve --help")
    func commandLine() async throws {
        let missing = Scratch.directory("e2e").appendingPathComponent("typo.sqlite").path
        let refused = try ServerProcess(["keys", "create-account", "--database", "sqlite:\(missing)"])
        #expect(try await refused.waitForExit().status != 0)
        #expect(refused.text.contains("There is no SQLite database at \(missing); pass --create"), "\(refused.text)")
        #expect(!FileManager.default.fileExists(atPath: missing))

        let created = try ServerProcess(["keys", "create-account", "--create", "--database", "sqlite:\(missing)"])
        #expect(try await created.waitForExit().status == 0, "\(created.text)")
        #expect(FileManager.default.fileExists(atPath: missing))

        let nowhere = try ServerProcess(["serve", "--port", "0", "--database", "sqlite:/nonexistent-parley-dir/parley.sqlite"])
        #expect(try await nowhere.waitForExit().status != 0)
        #expect(nowhere.text.contains("The directory /nonexistent-parley-dir of the SQLite database"), "\(nowhere.text)")

        let version = try ServerProcess(["--version"])
        #expect(try await version.waitForExit().status == 0)
        #expect(version.text.range(of: #"^\d+\.\d+\.\d+"#, options: .regularExpression) != nil, "\(version.text)")

        let help = try ServerProcess(["serve", "--help"])
        #expect(try await help.waitForExit().status == 0)
        for variable in ["PARLEY_PORT", "PARLEY_DATABASE_URL", "PARLEY_OUTBOUND_ALLOW", "PARLEY_MAX_CONNECTIONS", "PARLEY_WEBHOOK_TIMEOUT_SECONDS", "LOG_LEVEL"] {
            #expect(help.text.contains(variable), "\(variable) missing from serve --help")
        }
    }
}
