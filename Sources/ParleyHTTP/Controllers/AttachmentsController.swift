import Foundation
import Hummingbird
import ParleyDomain
import ParleyWire

/// UploadAttachment and DeleteAttachment, and `GET /attachments/{token}/{fileName}`, where every
/// `mediaUrl` is served from (no API key: the token is unguessable).
struct AttachmentsController {
    let attachments: AttachmentService
    /// `PARLEY_PUBLIC_URL`, the base of every `mediaUrl`; else the request's Host.
    let publicBaseURL: String?

    /// Bytes a multipart body may carry beyond its file: the other fields and the framing.
    static let framingAllowance: Int64 = 1024 * 1024

    func register(on api: APIRouterBuilder, router: Router<APIRequestContext>) {
        let attachments = self.attachments
        let publicBaseURL = self.publicBaseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        @Sendable func base(_ request: Request) -> String { publicBaseURL ?? "http://\(request.head.authority ?? "localhost")" }

        api.on(.uploadAttachment) { call in
            let query = call.query
            var upload = try await attachments.upload(
                appId: try call.requiredAppId, access: query["access"], for: query["for"], conversationId: query["conversationId"])
            return try await Self.receive(&upload, from: call.request, base: base(call.request), rules: attachments.rules)
        }

        api.on(.deleteAttachment) { call in
            let body = try await call.decode(AttachmentDeleteBody.self)
            let token = try Self.token(of: body.mediaUrl, base: base(call.request))
            try await attachments.delete(appId: try call.requiredAppId, token: token)
            return try JSONResponse.empty()
        }

        router.get("/attachments/:token/:fileName") { request, context in
            try await Self.serve(request, context: context, attachments: attachments)
        }
    }

    /// Streams a multipart body's `source` part into `upload` and answers UploadAttachment's
    /// `{"attachment": {mediaUrl, mediaType}}` (201); the web messenger's uploads come here too.
    static func receive(_ upload: inout AttachmentUpload, from request: Request, base: String, rules: AttachmentRules) async throws -> Response {
        // No body at all is the client's omission (400, as for JSON bodies); another kind of body 415.
        guard let contentType = request.headers[.contentType] else {
            throw ParleyError.badRequest("A multipart/form-data body with the source file is required")
        }
        guard var reader = try MultipartReader(contentType: contentType) else {
            throw ParleyError(
                kind: .unsupportedMediaType, code: "unsupported_media_type", title: "Content-Type must be multipart/form-data with a boundary")
        }
        do {
            var inSource = false
            var total: Int64 = 0
            for try await buffer in request.body {
                total += Int64(buffer.readableBytes)
                guard total <= rules.maximumBytes + Self.framingAllowance else {
                    throw ParleyError(
                        kind: .payloadTooLarge, code: "payload_too_large",
                        title: "Attachments are limited to \(rules.maximumBytes) bytes")
                }
                for event in try reader.feed(buffer.readableBytesView) {
                    switch event {
                    case .partStarted(let head):
                        inSource = head.name == "source"
                        if inSource { try upload.begin(fileName: head.fileName, declaredType: head.contentType) }
                    case .bodyBytes(let bytes):
                        if inSource { try upload.write(bytes) }
                    case .partEnded, .finished:
                        inSource = false
                    }
                }
            }
            try reader.finish()
            let attachment = try await upload.finish()
            let mediaUrl = attachment.mediaUrl(base: base)
            return try JSONResponse.make(
                json: .object(["attachment": .object(["mediaUrl": .string(mediaUrl), "mediaType": .string(attachment.mediaType)])]),
                status: .created)
        } catch {
            upload.abandon()
            throw error
        }
    }

    /// The token of a `mediaUrl` this server gave out: another host is 400, a path that is not an
    /// attachment's 404.
    static func token(of mediaUrl: String, base: String) throws -> AttachmentToken {
        guard let url = URL(string: mediaUrl), let host = url.host, let ours = URL(string: base)?.host else {
            throw ParleyError.badRequest("mediaUrl must be a URL")
        }
        guard host.lowercased() == ours.lowercased() else { throw ParleyError.badRequest("mediaUrl is not an attachment of this server") }
        // The path read as every mediaUrl is (under a PARLEY_PUBLIC_URL with a path prefix too).
        guard let token = AttachmentToken.of(mediaUrl: url.path) else {
            throw ParleyError(kind: .notFound, code: "not_found", title: "Attachment not found")
        }
        return token
    }

    /// The bytes, or the range asked for, with headers that keep a browser from running them.
    static func serve(_ request: Request, context: APIRequestContext, attachments: AttachmentService) async throws -> Response {
        guard let token = context.parameters.get("token").flatMap(AttachmentToken.init), let (attachment, reader) = try await attachments.open(token),
            context.parameters.get("fileName") == attachment.fileName
        else { throw ParleyError(kind: .notFound, code: "not_found", title: "Attachment not found") }
        let etag = "\"\(attachment.digest)\""
        var headers: HTTPFields = [
            .contentType: attachment.mediaType, .eTag: etag, .acceptRanges: "bytes",
            .xContentTypeOptions: "nosniff",
            .contentDisposition: (AttachmentRules.isActiveContent(attachment.mediaType) ? "attachment" : "inline")
                + "; filename=\"\(attachment.fileName)\"",
            .cacheControl: "private, max-age=300",
        ]
        if request.headers[.ifNoneMatch] == etag {
            reader.close()
            return Response(status: .notModified, headers: headers)
        }
        let size = reader.size
        var range = 0..<size
        var status = HTTPResponse.Status.ok
        // A Range is honoured unless If-Range names another version.
        if let header = request.headers[.range], request.headers[.ifRange].map({ $0 == etag }) ?? true, let asked = ByteRange(header, size: size) {
            guard case .satisfiable(let satisfiable) = asked else {
                reader.close()
                headers[.contentRange] = "bytes */\(size)"
                return Response(status: .rangeNotSatisfiable, headers: headers)
            }
            range = satisfiable
            status = .partialContent
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(size)"
        }
        headers[.contentLength] = String(range.count)
        if request.method == .head {
            reader.close()
            return Response(status: status, headers: headers)
        }
        let sent = range
        let body = ResponseBody(contentLength: sent.count) { writer in
            defer { reader.close() }
            var offset = sent.lowerBound
            while offset < sent.upperBound {
                let bytes = try reader.read(offset: offset, count: Int(min(64 * 1024, sent.upperBound - offset)))
                guard !bytes.isEmpty else { break }
                try await writer.write(ByteBuffer(bytes: bytes))
                offset += Int64(bytes.count)
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }
}
