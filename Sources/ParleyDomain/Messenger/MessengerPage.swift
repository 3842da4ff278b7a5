/// What a messenger page needs to draw itself: the `web` integration (its settings) and its app.
public struct MessengerPage: Sendable {
    public var integration: Integration
    public var app: App
}
