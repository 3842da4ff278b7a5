import Foundation
import Synchronization

/// Makes ids that are unique across processes and strictly increasing within one process.
///
/// Layout (12 bytes, 24 hex digits): 6 bytes of Unix milliseconds, 3 bytes of a per-millisecond
/// sequence, 3 random bytes fixed per generator. Ids therefore sort by creation time (to the
/// millisecond across nodes, exactly within a node), which keeps "page[after]=<id>" meaningful
/// without a second sort column. The random tail separates nodes that write in the same millisecond.
public final class ResourceIDGenerator: Sendable {
    private struct State {
        var lastMillis: UInt64 = 0
        var sequence: UInt32 = 0
    }

    private let state = Mutex(State())
    private let nodeTag: UInt32
    private let clock: @Sendable () -> UInt64

    public init(clock: @escaping @Sendable () -> UInt64 = { UInt64(max(0, Date().timeIntervalSince1970 * 1000)) }) {
        self.nodeTag = UInt32.random(in: 0..<(1 << 24))
        self.clock = clock
    }

    public func next() -> ResourceID {
        let (millis, sequence) = state.withLock { state -> (UInt64, UInt32) in
            let now = clock()
            if now > state.lastMillis {
                state.lastMillis = now
                state.sequence = 0
            } else {
                // Same millisecond, or the wall clock stepped back: keep counting from the last value
                // so ids never go backwards. On overflow borrow the next millisecond.
                state.sequence += 1
                if state.sequence >= (1 << 24) {
                    state.lastMillis += 1
                    state.sequence = 0
                }
            }
            return (state.lastMillis, state.sequence)
        }
        // Written digit by digit into the string's own storage: joining three padded
        // `String(radix:)`s made six strings per id, on every write.
        return Self.id(millis: millis, sequence: UInt64(sequence), nodeTag: UInt64(nodeTag))
    }

    /// The 24 hex digits of an id's three parts (`ResourceID.earliest(at:)` uses zeros for the last two).
    static func id(millis: UInt64, sequence: UInt64, nodeTag: UInt64) -> ResourceID {
        let hex = String(unsafeUninitializedCapacity: 24) { buffer in
            writeHex(millis & 0xFFFF_FFFF_FFFF, digits: 12, into: buffer, at: 0)
            writeHex(sequence, digits: 6, into: buffer, at: 12)
            writeHex(nodeTag, digits: 6, into: buffer, at: 18)
            return 24
        }
        return ResourceID(trusted: hex)
    }

    private static func writeHex(_ value: UInt64, digits: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        var rest = value
        for index in stride(from: start + digits - 1, through: start, by: -1) {
            let digit = UInt8(rest & 0xF)
            buffer[index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
            rest >>= 4
        }
    }
}
