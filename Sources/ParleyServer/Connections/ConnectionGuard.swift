import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// One per HTTP connection, right after HTTP decoding: closes the connection when its client is
/// too slow to send a request's head, or idle for too long. (`ConnectionAdmission`, before it,
/// counts connections and times the first head, which arrives before this handler exists: the
/// WebSocket upgrade reads it first.)
///
/// Why not Hummingbird's `idleTimeout`: it is one limit for everything, measured between decoded
/// HTTP parts, so a head trickled a byte at a time never times out while its parts are not yet
/// decoded… and a request body that pauses is cut off with the same short limit. Here the head
/// has a deadline of its own from its first byte, and the idle limit counts bytes.
///
/// One deadline at a time, checked by one scheduled task that re-arms itself: a request on a
/// kept-alive connection moves the deadline without scheduling anything.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// What the connection is waiting for.
    private enum Phase {
        /// A request's head: since the connection opened, or since the first byte after it idled.
        case head
        /// A request's body: closed after `idleTimeout` without a byte.
        case body
        /// The handler's answer. No deadline: a slow answer is the server's own, not the client's.
        case answer
        /// The next request, on a kept-alive connection.
        case idle
    }

    private let headerTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private var phase = Phase.head
    /// Requests whose head has arrived and whose response has not ended (pipelined requests
    /// arrive while an earlier one is answered).
    private var inFlight = 0
    private var readingBody = false
    /// When the connection is closed unless something happens first; nil while answering.
    private var deadline: NIODeadline?
    /// The instant the scheduled check runs, if one is scheduled.
    private var checkAt: NIODeadline?
    private var check: Scheduled<Void>?

    init(limits: ConnectionLimits) {
        self.headerTimeout = Self.amount(limits.headerTimeoutSeconds)
        self.idleTimeout = Self.amount(limits.idleTimeoutSeconds)
    }

    /// Whole nanoseconds, bounded so no setting can overflow a deadline.
    static func amount(_ seconds: Double) -> TimeAmount {
        .nanoseconds(Int64(min(max(seconds, 0.001), 86_400 * 365) * 1_000_000_000))
    }

    /// Added once the first request's head has been read (by the upgrade's decoder), so the
    /// connection is already active: the head is on its way down the pipeline.
    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { enter(.head, context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        enter(.head, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            inFlight += 1
            readingBody = true
            enter(.body, context: context)
        case .body:
            if phase == .body { deadline = .now() + idleTimeout }
        case .end:
            readingBody = false
            settle(context: context)
        }
        context.fireChannelRead(data)
    }

    /// Bytes arrived that may not make a whole head yet: the next request has begun.
    func channelReadComplete(context: ChannelHandlerContext) {
        if phase == .idle { enter(.head, context: context) }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), inFlight > 0 {
            inFlight -= 1
            settle(context: context)
        }
        context.write(data, promise: promise)
    }

    /// After a request's end was read or a response's end written: what is left to wait for.
    private func settle(context: ChannelHandlerContext) {
        if readingBody {
            enter(.body, context: context)
        } else if inFlight > 0 {
            enter(.answer, context: context)
        } else {
            enter(.idle, context: context)
        }
    }

    private func enter(_ next: Phase, context: ChannelHandlerContext) {
        phase = next
        switch next {
        case .head: deadline = .now() + headerTimeout
        case .body, .idle: deadline = .now() + idleTimeout
        case .answer: deadline = nil
        }
        schedule(context: context)
    }

    /// Makes sure a check runs no later than the deadline.
    private func schedule(context: ChannelHandlerContext) {
        guard let deadline else { return }
        if let checkAt, checkAt <= deadline { return }
        check?.cancel()
        checkAt = deadline
        let loop = context.eventLoop.assumeIsolated()
        check = loop.scheduleTask(deadline: deadline) { [self] in
            checkAt = nil
            check = nil
            guard let current = self.deadline else { return }
            if NIODeadline.now() >= current {
                context.close(promise: nil)
            } else {
                schedule(context: context)
            }
        }
    }

    private func stop() {
        check?.cancel()
        check = nil
        checkAt = nil
        deadline = nil
    }
}
