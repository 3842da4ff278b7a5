import Hummingbird
import ParleyDomain

/// A POST sent with `Idempotency-Key` (docs/DECISIONS.md "Idempotency keys"): the first request
/// with the key runs and its answer is kept; a retry gets that answer again, marked
/// `Idempotent-Replayed: true`, without running.
///
/// Only an operation's answers are kept; a request that failed (any error, 4xx or 5xx) releases
/// its key, so a retry runs anew: a 4xx wrote nothing, and a 5xx invites the retry.
struct IdempotentPost {
    let key: IdempotencyKey
    let service: IdempotencyService

    /// The key a POST carries, checked; nil when it carries none.
    static func key(of request: Request, appId: ResourceID?, principal: Principal) throws -> IdempotencyKey? {
        guard let text = request.headers.value(of: .idempotencyKey) else { return nil }
        guard let key = IdempotencyKey(value: text, appId: appId, keyId: principal.keyId) else {
            throw ParleyError.badRequest("Idempotency-Key must be 1 to \(IdempotencyKey.maximumLength) visible ASCII characters")
        }
        return key
    }

    /// Runs `answer` (the operation, its errors rendered) once for the key.
    func run(_ request: Request, _ answer: (Request) async throws -> Response) async throws -> Response {
        let target = "\(request.method.rawValue) \(request.uri.path)?\(request.uri.query ?? "")"
        let digest = BodyDigest()
        switch try await service.claim(key, request: target) {
        case .answered(let record):
            let recorded = try service.replay(record, bodyDigest: try await digest.drain(request.body))
            // A status no answer has (a damaged row) would stop the process in HTTPTypes: a 500 instead.
            guard (100...599).contains(recorded.status) else { throw CorruptAnswer(status: recorded.status) }
            var response = Response(status: HTTPResponse.Status(code: recorded.status), body: ResponseBody(byteBuffer: ByteBuffer(bytes: recorded.body)))
            if let contentType = recorded.contentType { response.headers[.contentType] = contentType }
            response.headers[.idempotentReplayed] = "true"
            return response
        case .claimed(let claimedAt):
            var request = request
            request.body = digest.wrapping(request.body)
            let response: Response
            do {
                response = try await answer(request)
            } catch {
                try? await service.release(key, claimedAt: claimedAt)
                throw error
            }
            let sink = CollectingWriter.Sink()
            try await response.body.write(CollectingWriter(sink: sink))
            let recorded = RecordedAnswer(status: response.status.code, contentType: response.headers[.contentType], body: sink.bytes)
            try await service.complete(key, claimedAt: claimedAt, bodyDigest: digest.value, answer: recorded)
            var kept = response
            kept.body = ResponseBody(byteBuffer: ByteBuffer(bytes: sink.bytes))
            return kept
        }
    }
}
