import ArgumentParser
import ParleyClient

/// A command that calls a running server: the API's error envelope becomes a one-line message
/// and exit status 1, not a stack of Swift errors.
protocol AdminCommand: AsyncParsableCommand {
    var server: ServerOptions { get }
    func run(_ client: SunshineClient) async throws
}

extension AdminCommand {
    func run() async throws {
        do {
            try await run(try server.client())
        } catch let error as SunshineClientError {
            throw AdminFailure(error)
        }
    }
}

/// What the server said, as `parley` prints it.
struct AdminFailure: Error, CustomStringConvertible {
    let error: SunshineClientError

    init(_ error: SunshineClientError) {
        self.error = error
    }

    var description: String {
        switch error {
        case .api(let status, let errors):
            let detail = errors.map { [$0.code, $0.title].compactMap { $0 }.joined(separator: ": ") }.joined(separator: "; ")
            return "The server answered \(status)" + (detail.isEmpty ? "" : ": \(detail)")
        default:
            return error.description
        }
    }
}
