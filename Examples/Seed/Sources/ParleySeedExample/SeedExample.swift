import ParleyClient

/// The project's seed request, through ParleyClient: link the email address
/// `steveb@channel5.com` to a user through a Mailgun integration, confirmed at once by a
/// "Hello!" email, and attach the new client to a conversation.
///
/// A library rather than code in `main.swift` so the tests run exactly what the command runs.
public enum SeedExample {
    /// The seed's CreateClient body for this integration and conversation.
    public static func body(integrationId: String, conversationId: String) -> ClientCreate {
        ClientCreate(
            matchCriteria: .mailgun(
                integrationId: integrationId, address: "steveb@channel5.com", subject: "New message from {appName}", primary: true),
            confirmation: ClientConfirmation(
                type: .immediate,
                message: MessagePost(
                    author: .business(displayName: "Steve", avatarUrl: "https://www.gravatar.com/image.jpg"),
                    content: .text("Hello!"),
                    metadata: ["lang": "en-ca"])),
            target: ClientTarget(conversationId: conversationId))
    }

    /// Sends the seed (CreateClient) and returns the client made: `pending` until Mailgun takes
    /// the email.
    /// - Parameter user: The user's id or externalId.
    /// - Throws: ``SunshineClientError``.
    public static func run(client: SunshineClient, appId: String, integrationId: String, user: String, conversationId: String) async throws -> Client {
        try await client.clients.create(appId: appId, user: user, body(integrationId: integrationId, conversationId: conversationId))
    }
}
