/// Persistence of SDK devices.
public protocol DeviceStore: Sendable {
    /// Records a device, found by its integration and `guid`: inserted when new, else moved to
    /// `device.clientId` with the new `info` and `lastSeen` (keeping its id). Returns it as stored.
    func saveDevice(_ device: Device) async throws -> Device
    func device(id: ResourceID) async throws -> Device?
    /// The devices of all of a user's clients, oldest first.
    func devices(userId: ResourceID) async throws -> [Device]
}
