import Testing

@testable import ParleyConnectors

/// Which MessageBird API an integration's `originator` picks, and where the Conversations API is
/// when only `PARLEY_MESSAGEBIRD_API_URL` is configured.
@Suite("MessageBird originator")
struct MessageBirdOriginatorTests {
    @Test("A number (with or without +) is an SMS number in E.164; a Conversations channel ID is none")
    func smsNumber() {
        #expect(MessageBirdChannel.smsNumber("12262121021") == "+12262121021")
        #expect(MessageBirdChannel.smsNumber("+1 226 212 1021") == "+12262121021")
        #expect(MessageBirdChannel.smsNumber("619747f69cf940a98fb443140ce9aed2") == nil)
        #expect(MessageBirdChannel.smsNumber("MessageBird") == nil)
        #expect(MessageBirdChannel.smsNumber(nil) == nil)
    }

    @Test("The Conversations API is MessageBird's conversations host beside rest; any other URL serves both")
    func conversationsBaseURL() {
        #expect(MessageBirdChannel.conversationsBaseURL("https://rest.messagebird.com") == "https://conversations.messagebird.com")
        #expect(MessageBirdChannel.conversationsBaseURL("http://127.0.0.1:8123") == "http://127.0.0.1:8123")
    }
}
