/// What one pass of `AttachmentService.sweep` did.
public struct AttachmentSweep: Hashable, Sendable {
    /// Uploads made `for=message` that no message used in time.
    public var expired = 0
    /// Files of deleted records removed.
    public var removed = 0
    /// Files no record knows (an upload a crash cut off) removed.
    public var orphans = 0

    public init() {}
}
