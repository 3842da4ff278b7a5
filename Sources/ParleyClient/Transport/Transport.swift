import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Sends ``APIRequest``s: base URL, credentials, `Idempotency-Key` on POSTs, retries, and the
/// error envelope turned into ``SunshineClientError``. Shared by every resource of a client.
final class Transport: Sendable {
    let baseURL: String
    let httpClient: HTTPClient
    let retry: RetryPolicy
    let timeout: TimeAmount
    /// Computed once: a JWT is signed when the client is made, not per request.
    let authorization: String
    /// Why the base URL cannot be used, when it cannot: every call then throws it, nothing sent.
    let baseURLProblem: String?
    /// Bodies above this are refused rather than held in memory.
    static let maxResponseBytes = 32 * 1024 * 1024

    init(baseURL: String, credentials: Credentials, httpClient: HTTPClient, retry: RetryPolicy, timeout: Duration) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.httpClient = httpClient
        self.retry = retry
        let components = timeout.components
        let nanoseconds = components.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self.timeout = nanoseconds.overflow ? .hours(1) : .nanoseconds(nanoseconds.partialValue + components.attoseconds / 1_000_000_000)
        authorization = credentials.authorizationHeader
        baseURLProblem = Self.problem(baseURL: base)
    }

    /// An http(s) URL with a host, or why not.
    static func problem(baseURL: String) -> String? {
        guard let url = URL(string: baseURL), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return "the base URL is not an http or https URL: \(baseURL)"
        }
        guard let host = url.host, !host.isEmpty else { return "the base URL has no host: \(baseURL)" }
        return nil
    }

    /// Sends `request`, retrying as ``RetryPolicy`` says; returns a 2xx answer or throws.
    ///
    /// A POST gets one random `Idempotency-Key` for all its attempts (or `idempotencyKey` when the
    /// caller has one), so a retry after a lost answer is replayed by the server, not run twice.
    func send(_ request: APIRequest, idempotencyKey: String? = nil) async throws(SunshineClientError) -> APIResponse {
        if let baseURLProblem { throw .invalidRequest(baseURLProblem) }
        let key = request.method == .POST ? (idempotencyKey ?? UUID().uuidString.lowercased()) : nil
        var attempt = 1
        while true {
            let outcome: Result<APIResponse, SunshineClientError>
            do {
                outcome = .success(try await execute(request, idempotencyKey: key))
            } catch let error as HTTPClientError where [.invalidURL, .emptyHost, .emptyScheme].contains(error) {
                // The URL cannot be sent to: no attempt can succeed.
                throw .invalidRequest("not a URL that can be sent to: \(baseURL + request.pathAndQuery) (\(error))")
            } catch {
                outcome = .failure(.transport(error))
            }
            switch outcome {
            case .success(let response) where (200..<300).contains(response.status):
                return response
            case .success(let response):
                let errors = (try? WireCoding.decoder().decode(ErrorEnvelope.self, from: response.body).errors) ?? []
                let failure = SunshineClientError.api(status: response.status, errors: errors)
                guard attempt < retry.maxAttempts, retry.retries(status: response.status, code: errors.first?.code) else { throw failure }
                let retryAfter = response.headers.first(name: "Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                try await pause(retry.delay(after: attempt, retryAfter: retryAfter), else: failure)
            case .failure(let failure):
                // A cancelled task stops at once; other failures (refused, reset, timed out) are retried.
                guard attempt < retry.maxAttempts, !Task.isCancelled else { throw failure }
                try await pause(retry.delay(after: attempt, retryAfter: nil), else: failure)
            }
            attempt += 1
        }
    }

    /// Sleeps before the next attempt; cancelled meanwhile, throws the last failure.
    private func pause(_ delay: Duration, else failure: SunshineClientError) async throws(SunshineClientError) {
        do {
            try await Task.sleep(for: delay)
        } catch {
            throw failure
        }
    }

    private func execute(_ request: APIRequest, idempotencyKey: String?) async throws -> APIResponse {
        var http = HTTPClientRequest(url: baseURL + request.pathAndQuery)
        http.method = request.method
        http.headers.add(name: "Accept", value: "application/json")
        http.headers.add(name: "User-Agent", value: "ParleyClient (Swift)")
        if request.authenticated { http.headers.add(name: "Authorization", value: authorization) }
        if let idempotencyKey { http.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        if let body = request.body {
            http.headers.add(name: "Content-Type", value: request.contentType ?? "application/json")
            http.body = .bytes(ByteBuffer(data: body))
        }
        let response = try await httpClient.execute(http, timeout: timeout)
        let buffer = try await response.body.collect(upTo: Self.maxResponseBytes)
        return APIResponse(status: Int(response.status.code), headers: response.headers, body: Data(buffer: buffer))
    }
}
