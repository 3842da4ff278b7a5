import Foundation
import GRDB
import GRDBSQLite
import ParleyDomain
@testable import ParleySQLite
import Testing

/// `DirectStatement` and `ColumnReader` bypass GRDB's binding and rows on PostMessage's path;
/// what they read and write, and the errors they raise, must be what GRDB's would have been.
@Suite("Direct statements")
struct DirectStatementTests {
    private func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE items (id TEXT PRIMARY KEY NOT NULL, count INTEGER, note TEXT, flag INTEGER NOT NULL)")
        }
        return queue
    }

    @Test("Parameters are bound by position and read back by name: text, integers at both ends, NULL")
    func roundTrip() throws {
        let queue = try database()
        let rows = try queue.write { db in
            let insert = "INSERT INTO items (id, count, note, flag) VALUES (?, ?, ?, ?)"
            try DirectStatement(db, sql: insert).run([.text("a"), .integer(Int64.max), .text("ünïcödé \u{1F600}"), .integer(1)])
            try DirectStatement(db, sql: insert).run([.text("b"), .integer(Int64.min), nil, .init(0)])
            try DirectStatement(db, sql: insert).run([.init("c" as String?), .init(nil as Int64?), .init(nil as String?), 1])
            return try DirectStatement(db, sql: "SELECT * FROM items ORDER BY id").rows([]) { row in
                (try row.text("id"), try row.optionalInteger("count"), try row.optionalText("note"), try row.bool("flag"))
            }
        }
        #expect(rows.map(\.0) == ["a", "b", "c"])
        #expect(rows.map(\.1) == [Int64.max, Int64.min, nil])
        #expect(rows.map(\.2) == ["ünïcödé \u{1F600}", nil, nil])
        #expect(rows.map(\.3) == [true, false, true])
    }

    @Test("A row read through ColumnReader decodes as GRDB's Row does, with the store's own decoder")
    func sameDecoding() async throws {
        let store = try SQLiteStore(path: StoreFactory.temporaryPath())
        try await store.migrate()
        let ids = ResourceIDGenerator()
        let app = App(id: ids.next(), displayName: "Direct")
        try await store.insertApp(app)
        let conversation = Conversation(
            id: ids.next(), appId: app.id, type: .sdkGroup, displayName: "Room", metadata: try Metadata.validated(["lang": .string("fr")]),
            lastUpdatedAt: .now(), createdAt: .now())
        _ = try await store.insertConversation(conversation, participants: [], events: { _ in [] })
        let (throughGRDB, direct) = try await store.read { db in
            let sql = "SELECT * FROM conversations WHERE id = ?"
            return (
                try Row.fetchOne(db, sql: sql, arguments: [conversation.id.rawValue]).map(SQLiteStore.conversation),
                try DirectStatement(db, sql: sql).firstRow([.text(conversation.id.rawValue)], SQLiteStore.conversation)
            )
        }
        #expect(direct != nil)
        #expect(direct == throughGRDB)
        #expect(direct?.metadata == conversation.metadata)
    }

    @Test("A unique-constraint failure carries SQLite's extended code, so the store still answers 409")
    func constraintFailure() throws {
        let queue = try database()
        try queue.write { db in
            let insert = "INSERT INTO items (id, flag) VALUES (?, 1)"
            try DirectStatement(db, sql: insert).run(["x"])
            let error = #expect(throws: DatabaseError.self) { try DirectStatement(db, sql: insert).run(["x"]) }
            #expect(error?.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY)
            #expect(throws: ParleyError.conflict("taken")) {
                try SQLiteStore.conflictOnDuplicate("taken") { try DirectStatement(db, sql: insert).run(["x"]) }
            }
            // The statement that failed is usable again.
            try DirectStatement(db, sql: insert).run(["y"])
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM items") == 2)
        }
    }

    @Test("Bad use throws instead of crashing: a wrong parameter count, an unknown column, NULL where a value is required")
    func misuse() throws {
        let queue = try database()
        try queue.write { db in
            let error = #expect(throws: DatabaseError.self) {
                try DirectStatement(db, sql: "INSERT INTO items (id, flag) VALUES (?, ?)").run(["only one"])
            }
            #expect(error?.resultCode == .SQLITE_MISUSE)
            try DirectStatement(db, sql: "INSERT INTO items (id, flag) VALUES (?, ?)").run(["z", 0])
            let select = "SELECT * FROM items"
            #expect(throws: DatabaseError.self) { try DirectStatement(db, sql: select).firstRow([]) { try $0.text("missing") } }
            #expect(throws: DatabaseError.self) { try DirectStatement(db, sql: select).firstRow([]) { try $0.integer("count") } }
            #expect(try DirectStatement(db, sql: select).firstRow([]) { try $0.optionalInteger("count") } == .some(nil))
        }
    }

    @Test("A statement is reset when it returns: reading one row of many leaves no read open")
    func resetAfterFirstRow() throws {
        let queue = try database()
        try queue.write { db in
            for id in ["a", "b", "c"] { try DirectStatement(db, sql: "INSERT INTO items (id, flag) VALUES (?, 1)").run([.text(id)]) }
        }
        let sql = "SELECT id FROM items ORDER BY id"
        let (first, busy, again) = try queue.inDatabase { db -> (String?, Int32, String?) in
            let first = try DirectStatement(db, sql: sql).firstRow([]) { try $0.text("id") }
            // The same cached statement, no longer stepping: it holds no snapshot of the database.
            let busy = sqlite3_stmt_busy(try db.cachedStatement(sql: sql).sqliteStatement)
            return (first, busy, try DirectStatement(db, sql: sql).firstRow([]) { try $0.text("id") })
        }
        #expect(first == "a")
        #expect(busy == 0)
        #expect(again == "a")
    }

    @Test("The same SQL text after a migration rebuilt its table reads the table's new columns, not the old positions")
    func schemaChange() throws {
        let queue = try database()
        let select = "SELECT * FROM items"
        let insert = "INSERT INTO items (id, count, note, flag) VALUES (?, ?, ?, ?)"
        func read(_ db: Database) throws -> [String] {
            try DirectStatement(db, sql: select).rows([]) { row in "\(try row.text("id")) \(try row.optionalInteger("count") ?? -1) \(try row.optionalText("note") ?? "-")" }
        }
        let (before, after) = try queue.write { db -> ([String], [String]) in
            try DirectStatement(db, sql: insert).run(["a", 1, "first", 1])
            let before = try read(db)
            try db.execute(sql: "DROP TABLE items")
            try db.execute(sql: "CREATE TABLE items (note TEXT, flag INTEGER NOT NULL, count INTEGER, id TEXT PRIMARY KEY NOT NULL)")
            try DirectStatement(db, sql: insert).run(["b", 2, "second", 0])
            return (before, try read(db))
        }
        #expect(before == ["a 1 first"])
        #expect(after == ["b 2 second"])
    }

    @Test("A schema change made by another connection is seen too: the columns are read after SQLite prepares again")
    func schemaChangeElsewhere() throws {
        let path = StoreFactory.temporaryPath()
        let reader = try DatabaseQueue(path: path)
        let migrator = try DatabaseQueue(path: path)
        let select = "SELECT * FROM things"
        func read() throws -> [String] {
            try reader.inDatabase { db in
                try DirectStatement(db, sql: select).rows([]) { row in "\(try row.text("id")) \(try row.optionalText("note") ?? "-")" }
            }
        }
        try migrator.write { db in
            try db.execute(sql: "CREATE TABLE things (id TEXT PRIMARY KEY NOT NULL, note TEXT)")
            try db.execute(sql: "INSERT INTO things VALUES ('a', 'first')")
        }
        let before = try read()
        // The reader's cached statement still describes the old table until its next step.
        try migrator.write { db in
            try db.execute(sql: "DROP TABLE things")
            try db.execute(sql: "CREATE TABLE things (note TEXT, id TEXT PRIMARY KEY NOT NULL)")
            try db.execute(sql: "INSERT INTO things VALUES ('second', 'b')")
        }
        #expect(before == ["a first"])
        #expect(try read() == ["b second"])
    }
}
