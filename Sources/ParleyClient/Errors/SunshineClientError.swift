/// What every call of ``SunshineClient`` throws.
///
/// - ``api(status:errors:)``: the server answered with a non-2xx status (after retries, for the
///   retried ones). `errors` is the envelope's list; it is empty when the body was not an envelope
///   (a proxy's HTML page, say).
/// - ``transport(_:)``: no answer: connection refused or reset, DNS, TLS, timeout, cancellation.
/// - ``decoding(status:underlying:)``: a 2xx answer whose body is not the JSON the operation
///   returns. The call may have taken effect.
/// - ``invalidRequest(_:)``: the request could not be built (a base URL that is not one, a body
///   that cannot be encoded); nothing was sent.
public enum SunshineClientError: Error, CustomStringConvertible {
    case api(status: Int, errors: [APIErrorDetail])
    case transport(any Error)
    case decoding(status: Int, underlying: any Error)
    case invalidRequest(String)

    /// The HTTP status of an ``api(status:errors:)`` or ``decoding(status:underlying:)`` error.
    public var status: Int? {
        switch self {
        case .api(let status, _), .decoding(let status, _): status
        case .transport, .invalidRequest: nil
        }
    }

    /// The envelope's errors (empty for other cases).
    public var errors: [APIErrorDetail] {
        if case .api(_, let errors) = self { return errors }
        return []
    }

    /// The first error's `code`, e.g. `user_not_found`.
    public var code: String? { errors.first?.code }

    /// The first error's `title`.
    public var title: String? { errors.first?.title }

    /// A 404: the resource (or the app it is in) does not exist.
    public var isNotFound: Bool { isAPI(404) }
    /// A 401: the credentials did not authenticate.
    public var isUnauthorized: Bool { isAPI(401) }
    /// A 403: the credentials may not do this.
    public var isForbidden: Bool { isAPI(403) }
    /// A 409: a conflict (a duplicate `externalId`, a participant already there…).
    public var isConflict: Bool { isAPI(409) }
    /// A 429: the rate limit, still refused after the retries.
    public var isRateLimited: Bool { isAPI(429) }

    private func isAPI(_ expected: Int) -> Bool {
        if case .api(let status, _) = self { return status == expected }
        return false
    }

    public var description: String {
        switch self {
        case .api(let status, let errors):
            let detail = errors.map { "\($0.code ?? "?"): \($0.title ?? "")" }.joined(separator: "; ")
            return "HTTP \(status)" + (detail.isEmpty ? "" : " (\(detail))")
        case .transport(let error):
            return "transport failure: \(error)"
        case .decoding(let status, let error):
            return "HTTP \(status) with a body that could not be decoded: \(error)"
        case .invalidRequest(let reason):
            return "invalid request: \(reason)"
        }
    }
}
