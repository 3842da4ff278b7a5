import Hummingbird
import ParleyDomain
import ParleyWire

/// Per-request state: the authenticated caller, set by `AuthenticationMiddleware`.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
    }

    /// "Requests are limited to 100kb" for JSON bodies.
    public var maxUploadSize: Int { APILimits.maximumJSONBodyBytes }
}

public enum APILimits {
    public static let maximumJSONBodyBytes = 100 * 1024
}
