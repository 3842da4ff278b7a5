import GRDB
import ParleyDomain
import ParleyWire

extension SQLiteStore {
    public func saveDevice(_ device: Device) async throws -> Device {
        let info = try device.info.map { try JSONColumn.encode($0) }
        return try await write { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO devices (id, client_id, integration_id, guid, type, status, info, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (integration_id, guid) DO UPDATE SET
                        client_id = excluded.client_id, info = excluded.info, last_seen = excluded.last_seen, status = excluded.status
                    """
            ).execute(arguments: [
                device.id.rawValue, device.clientId.rawValue, device.integrationId.rawValue, device.guid, device.type.rawValue,
                device.status.rawValue, info, device.lastSeen.millisecondsSince1970,
            ])
            guard let stored = try Self.decodeOne(
                db.cachedStatement(sql: "SELECT * FROM devices WHERE integration_id = ? AND guid = ?"),
                arguments: [device.integrationId.rawValue, device.guid], Self.device)
            else { throw DatabaseError(message: "the device just saved is missing") }
            return stored
        }
    }

    public func device(id: ResourceID) async throws -> Device? {
        try await read { db in
            try Self.decodeOne(db.cachedStatement(sql: "SELECT * FROM devices WHERE id = ?"), arguments: [id.rawValue], Self.device)
        }
    }

    public func devices(userId: ResourceID) async throws -> [Device] {
        try await read { db in
            try Self.decodeAll(
                db.cachedStatement(
                    sql: "SELECT devices.* FROM devices JOIN clients ON clients.id = devices.client_id WHERE clients.user_id = ? ORDER BY devices.id"),
                arguments: [userId.rawValue], Self.device)
        }
    }

    static func device(_ row: Row) throws -> Device {
        let typeText: String = try row.decode(forColumn: "type")
        let statusText: String = try row.decode(forColumn: "status")
        guard let type = Device.Kind(rawValue: typeText), let status = Device.Status(rawValue: statusText) else {
            throw DatabaseError(message: "corrupt device type or status")
        }
        return Device(
            id: try resourceID(try row.decode(forColumn: "id")), clientId: try resourceID(try row.decode(forColumn: "client_id")),
            integrationId: try resourceID(try row.decode(forColumn: "integration_id")), guid: try row.decode(forColumn: "guid"), type: type,
            status: status, info: try (try row.decode(forColumn: "info") as String?).map { try JSONColumn.decode(JSONValue.self, $0) },
            lastSeen: Timestamp(millisecondsSince1970: try row.decode(forColumn: "last_seen")))
    }
}
