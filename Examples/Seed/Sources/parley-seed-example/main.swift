// The seed example: CreateClient with the project's seed body, through ParleyClient.
//
//   PARLEY_BASE_URL=http://127.0.0.1:8080 PARLEY_KEY_ID=app_… PARLEY_KEY_SECRET=… \
//   PARLEY_APP_ID=… PARLEY_INTEGRATION_ID=… PARLEY_USER=steve PARLEY_CONVERSATION_ID=… \
//   swift run parley-seed-example
//
// Prints the created client's id, type and status; exits 1 with the reason otherwise.
import Foundation
import ParleyClient
import ParleySeedExample

let names = [
    "PARLEY_BASE_URL", "PARLEY_KEY_ID", "PARLEY_KEY_SECRET", "PARLEY_APP_ID", "PARLEY_INTEGRATION_ID", "PARLEY_USER", "PARLEY_CONVERSATION_ID",
]
let environment = ProcessInfo.processInfo.environment
let missing = names.filter { (environment[$0] ?? "").isEmpty }
guard missing.isEmpty else {
    FileHandle.standardError.write(Data("parley-seed-example: set \(missing.joined(separator: ", "))\n".utf8))
    exit(1)
}
let value = { (name: String) in environment[name] ?? "" }

let client = SunshineClient(
    baseURL: value("PARLEY_BASE_URL"), credentials: .basic(keyId: value("PARLEY_KEY_ID"), secret: value("PARLEY_KEY_SECRET")))
do {
    let created = try await SeedExample.run(
        client: client, appId: value("PARLEY_APP_ID"), integrationId: value("PARLEY_INTEGRATION_ID"), user: value("PARLEY_USER"),
        conversationId: value("PARLEY_CONVERSATION_ID"))
    print("client \(created.id) type \(created.type) status \(created.status?.rawValue ?? "unknown")")
} catch {
    FileHandle.standardError.write(Data("parley-seed-example: \(error)\n".utf8))
    exit(1)
}
