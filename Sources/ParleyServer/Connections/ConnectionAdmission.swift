import NIOCore

/// First on every connection, before any HTTP decoding: counts it against the connection cap
/// (`ConnectionGate`), and closes it when its first request's head has not fully arrived within the
/// header timeout. It sees bytes, not requests, because the WebSocket upgrade decides from a
/// whole head before any per-request handler exists; it watches for the blank line that ends a
/// head, then only counts. `ConnectionGuard` keeps the later requests of a kept-alive connection
/// to their deadlines; an upgraded socket is kept alive by its pings instead.
final class ConnectionAdmission: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let gate: ConnectionGate
    private let headerTimeout: TimeAmount
    private var counted = false
    private var headComplete = false
    /// The last bytes of the previous read: a head's `\r\n\r\n` may straddle two reads.
    private var tail: [UInt8] = []
    private var timeout: Scheduled<Void>?

    init(gate: ConnectionGate, headerTimeout: TimeAmount) {
        self.gate = gate
        self.headerTimeout = headerTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        counted = true
        guard gate.opened() else {
            context.close(promise: nil)
            return
        }
        let loop = context.eventLoop.assumeIsolated()
        timeout = loop.scheduleTask(in: headerTimeout) { [self] in
            if !headComplete { context.close(promise: nil) }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !headComplete {
            let bytes = tail + unwrapInboundIn(data).readableBytesView
            if Self.containsHeadEnd(bytes) {
                headComplete = true
                timeout?.cancel()
                timeout = nil
                tail = []
            } else {
                tail = Array(bytes.suffix(3))
            }
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        timeout = nil
        if counted {
            counted = false
            gate.closed()
        }
        context.fireChannelInactive()
    }

    static func containsHeadEnd(_ bytes: some Collection<UInt8>) -> Bool {
        var matched = 0
        let pattern: [UInt8] = [13, 10, 13, 10]
        for byte in bytes {
            if byte == pattern[matched] {
                matched += 1
                if matched == pattern.count { return true }
            } else {
                matched = byte == pattern[0] ? 1 : 0
            }
        }
        return false
    }
}
