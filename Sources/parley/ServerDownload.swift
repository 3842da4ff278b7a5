import ArgumentParser
import AsyncHTTPClient
import Foundation

/// What `parley backup` and `parley export` share: a GET of the running server with an API key,
/// its body streamed into `FILE.part`, checked, and only then renamed to FILE.
struct ServerDownload {
    let url: String
    let authorization: String

    /// The key given by flag, else the account key of the environment.
    init(url: String, keyId: String?, keySecret: String?) throws {
        let environment = ProcessInfo.processInfo.environment
        guard let id = keyId ?? environment["PARLEY_ACCOUNT_KEY_ID"], let secret = keySecret ?? environment["PARLEY_ACCOUNT_KEY_SECRET"] else {
            throw ValidationError("A key is needed: set PARLEY_ACCOUNT_KEY_ID and PARLEY_ACCOUNT_KEY_SECRET, or give --key-id and --key-secret")
        }
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.authorization = "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
    }

    /// Writes the body of `path` to `destination`; `check` reads the finished `.part` file and
    /// throws if it is not what it should be. Returns the number of bytes.
    func download(_ path: String, to destination: String, check: (String) throws -> Void) async throws -> Int {
        var request = HTTPClientRequest(url: url + path)
        request.headers.add(name: "Authorization", value: authorization)
        let response = try await HTTPClient.shared.execute(request, timeout: .hours(1))
        guard response.status == .ok else {
            let text = String(buffer: try await response.body.collect(upTo: 64 * 1024))
            throw ValidationError("The server answered \(response.status.code): \(text)")
        }
        let partial = destination + ".part"
        guard FileManager.default.createFile(atPath: partial, contents: nil), let file = FileHandle(forWritingAtPath: partial) else {
            throw ValidationError("Cannot write \(partial)")
        }
        var bytes = 0
        do {
            for try await chunk in response.body {
                try file.write(contentsOf: Data(chunk.readableBytesView))
                bytes += chunk.readableBytes
            }
            try file.synchronize()
            try file.close()
            try check(partial)
        } catch {
            try? file.close()
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        if FileManager.default.fileExists(atPath: destination) { try FileManager.default.removeItem(atPath: destination) }
        try FileManager.default.moveItem(atPath: partial, toPath: destination)
        return bytes
    }
}
