import ParleyDomain
import ParleyWire
import PostgresNIO

extension PostgresStore {
    public func saveDevice(_ device: Device) async throws -> Device {
        let info = try device.info.map { try JSONColumn.encode($0) }
        return try await write { connection in
            guard let row = try await connection.row(
                """
                INSERT INTO devices (id, client_id, integration_id, guid, type, status, info, last_seen)
                VALUES (\(device.id.rawValue), \(device.clientId.rawValue), \(device.integrationId.rawValue), \(device.guid), \(device.type.rawValue),
                        \(device.status.rawValue), \(info), \(device.lastSeen.millisecondsSince1970))
                ON CONFLICT (integration_id, guid) DO UPDATE SET
                    client_id = EXCLUDED.client_id, info = EXCLUDED.info, last_seen = EXCLUDED.last_seen, status = EXCLUDED.status
                RETURNING *
                """)
            else { throw CorruptRow("the device just saved is missing") }
            return try Self.device(row)
        }
    }

    public func device(id: ResourceID) async throws -> Device? {
        try await read { connection in try await connection.row("SELECT * FROM devices WHERE id = \(id.rawValue)").map(Self.device) }
    }

    public func devices(userId: ResourceID) async throws -> [Device] {
        try await read { connection in
            try await connection.rows(
                "SELECT devices.* FROM devices JOIN clients ON clients.id = devices.client_id WHERE clients.user_id = \(userId.rawValue) ORDER BY devices.id"
            ).map(Self.device)
        }
    }

    static func device(_ row: Columns) throws -> Device {
        let typeText = try row("type", as: String.self)
        let statusText = try row("status", as: String.self)
        guard let type = Device.Kind(rawValue: typeText), let status = Device.Status(rawValue: statusText) else {
            throw CorruptRow("corrupt device type or status")
        }
        return Device(
            id: try row.id("id"), clientId: try row.id("client_id"), integrationId: try row.id("integration_id"), guid: try row("guid", as: String.self),
            type: type, status: status, info: try row.optionalJSON(JSONValue.self, "info"), lastSeen: try row.timestamp("last_seen"))
    }
}
