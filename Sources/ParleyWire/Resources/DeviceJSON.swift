import ParleyDomain

/// A device on the wire, as ListDevices and GetDevice show it.
public enum DeviceJSON {
    public static func render(_ device: Device) -> JSONValue {
        var json: [String: JSONValue] = [
            "id": .string(device.id.rawValue), "guid": .string(device.guid), "clientId": .string(device.clientId.rawValue),
            "integrationId": .string(device.integrationId.rawValue), "type": .string(device.type.rawValue),
            "status": .string(device.status.rawValue), "lastSeen": .string(device.lastSeen.iso8601),
        ]
        if let info = device.info { json["info"] = info }
        return .object(json)
    }
}
