import Foundation
import ParleyDomain

/// Meta's Messenger Platform, which carries Facebook Messenger and Instagram Direct alike: one
/// Send API (`POST me/messages` with the page's access token), one webhook format
/// (`{object, entry: [{id, time, messaging: […]}]}`, signed as every Meta webhook) and one Graph
/// API setting. `MessengerConnector` and `MessengerInbox` serve both; what differs between the two
/// products is told by a value of this type (`.messenger` here, `.instagram` in `Channels/Instagram/`).
struct MessengerPlatform: Sendable {
    /// The channel type: `messenger`, `instagram`.
    let type: String
    /// The product's name, for errors.
    let name: String
    /// The `object` of its webhook calls: `page`, `instagram`.
    let webhookObject: String
    /// The integration's setting naming the account a webhook entry's `id` is: the page for
    /// Messenger, the Instagram business account for Instagram.
    let accountSetting: String
    /// Whether a `file` goes as a file attachment. Instagram takes images, audio and video only:
    /// another file goes as a link in the text.
    let sendsFiles: Bool

    static let messenger = MessengerPlatform(type: "messenger", name: "Messenger", webhookObject: "page", accountSetting: "pageId", sendsFiles: true)

    /// Whether a webhook entry is for this integration's account; an integration created without a
    /// token knows no account and takes every entry.
    func owns(_ entry: [String: JSONValue], integration: Integration) -> Bool {
        let account: String? = switch integration.settings[accountSetting] {
        case .string(let id)?: id
        case .integer(let id)?: String(id)
        default: nil
        }
        guard let account else { return true }
        return switch entry["id"] {
        case .string(let id)?: id == account
        case .integer(let id)?: String(id) == account
        default: false
        }
    }

    /// The Graph API both products use: one setting, the version in its path.
    static let api = ChannelAPI(
        variable: "PARLEY_MESSENGER_API_URL", defaultURL: "https://graph.facebook.com/v21.0",
        summary: "Meta's Graph API, for Messenger and Instagram (its version in the path)")

    /// The page's webhook fields Parley reads, subscribed when an integration is created (what
    /// Sunshine Conversations subscribed itself).
    static let subscribedFields = ["messages", "messaging_postbacks", "message_deliveries", "message_reads", "messaging_referrals"]

    /// `GET me?{query}` with the page's token: the page it belongs to. A token Graph refuses is
    /// 400 with Graph's words; Graph out of reach is 503.
    func page(_ graph: GraphAPI, query: String) async throws -> GraphAnswer {
        guard graph.hasPlausibleToken else {
            throw ParleyError.badRequest("pageAccessToken is not an access token Meta could have issued")
        }
        let answer: GraphAnswer
        do {
            answer = try await graph.get("me", query: query)
        } catch {
            throw ParleyError(kind: .unavailable, code: "service_unavailable", title: "Meta's Graph API could not be reached to check the pageAccessToken")
        }
        guard answer.succeeded, answer.text("id") != nil else {
            throw ParleyError.badRequest("Meta refused the pageAccessToken: \(answer.problem)")
        }
        return answer
    }

    /// Subscribes the app to the page's messaging webhooks (`POST {pageId}/subscribed_apps`), so
    /// Meta calls the app's webhook with this page's messages.
    func subscribe(_ graph: GraphAPI, pageId: String) async throws {
        let answer: GraphAnswer
        do {
            answer = try await graph.post(
                "\(FormEncoding.pathSegment(pageId))/subscribed_apps", ["subscribed_fields": .array(Self.subscribedFields.map(JSONValue.string))])
        } catch {
            throw ParleyError(kind: .unavailable, code: "service_unavailable", title: "Meta's Graph API could not be reached to subscribe the page")
        }
        guard answer.succeeded else {
            throw ParleyError.badRequest("Meta refused to subscribe the app to page \(pageId)'s messages: \(answer.problem)")
        }
    }

    /// Users write to the page first; the spec links no Messenger or Instagram address.
    func refuseLinking() -> ParleyError {
        ParleyError.badRequest("\(name) users cannot be linked by CreateClient: they start a conversation with the \(type == "instagram" ? "account" : "page")")
    }
}
