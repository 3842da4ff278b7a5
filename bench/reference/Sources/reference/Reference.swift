import Foundation
import Hummingbird

/// The same route and body shape as PostMessage, with none of Parley's work: no auth, no
/// validation, no database. It decodes the JSON body and answers 201 with a small JSON document,
/// so the figure is "HTTP + routing + JSON in and out" on this machine.
struct Author: Codable { var type: String; var displayName: String? }
struct Content: Codable { var type: String; var text: String? }
struct Body: Codable { var author: Author; var content: Content }
struct Reply: ResponseEncodable { var messages: [Body] }

@main
struct Reference {
    static func main() async throws {
        let port = Int(ProcessInfo.processInfo.environment["PORT"] ?? "") ?? 8090
        let router = Router()
        router.get("/healthz") { _, _ in "ok" }
        router.post("/v2/apps/:appId/conversations/:conversationId/messages") { request, context -> EditedResponse<Reply> in
            let body = try await request.decode(as: Body.self, context: context)
            return EditedResponse(status: .created, response: Reply(messages: [body]))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "reference"))
        try await app.runService()
    }
}
