import Foundation
import Hummingbird
import ParleyDomain
import ParleyWire

/// `GET /admin/apps/{appId}/export` (Parley's extension; account keys, or the app's own keys): the
/// app's users, conversations and messages as JSON lines (`ExportLine`), streamed as they are read.
/// `parley export --app ID` calls it. An error once lines are sent can only cut the stream short,
/// which the missing `end` line shows.
struct ExportController {
    let export: ExportService
    let authenticator: Authenticator

    func register(on router: Router<APIRequestContext>) {
        let export = self.export
        let authenticator = self.authenticator
        router.get("/admin/apps/:appId/export") { request, context -> Response in
            let principal = try await authenticator.authenticate(authorization: request.headers.value(of: .authorization))
            let text = context.parameters.get("appId") ?? ""
            guard let appId = ResourceID(text) else {
                throw principal.scope == .account ? ParleyError.notFound(.app) : ParleyError.forbidden()
            }
            try principal.authorize([.account, .app], appId: appId)
            let app = try await export.app(appId)
            let logger = context.logger
            let body = ResponseBody { writer in
                var lines = 0
                var buffer = ByteBuffer()
                try await export.export(app) { record in
                    buffer.writeBytes(try JSONResponse.encode(ExportLine.record(record)))
                    buffer.writeInteger(UInt8(ascii: "\n"))
                    lines += 1
                    if buffer.readableBytes >= 64 * 1024 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                buffer.writeBytes(try JSONResponse.encode(ExportLine.end(lines: lines)))
                buffer.writeInteger(UInt8(ascii: "\n"))
                try await writer.write(buffer)
                try await writer.finish(nil)
                logger.notice("Export sent", metadata: ["app": "\(appId)", "lines": "\(lines)"])
            }
            return Response(
                status: .ok,
                headers: [.contentType: "application/x-ndjson", .contentDisposition: "attachment; filename=\"parley-\(appId)-export.jsonl\""],
                body: body)
        }
    }
}
