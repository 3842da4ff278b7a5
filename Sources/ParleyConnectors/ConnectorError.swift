/// A connector could not even build its request (a misconfigured integration).
public struct ConnectorError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
