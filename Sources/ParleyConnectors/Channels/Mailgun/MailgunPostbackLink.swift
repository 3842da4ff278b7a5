import Crypto
import Foundation
import ParleyDomain

/// The link an email shows for a postback button: `{PARLEY_PUBLIC_URL}/v2/apps/{appId}/integrations/
/// {integrationId}/inbound/postback?job={jobId}&action={index}&signature={hex}`. The signature is
/// HMAC-SHA256 of `"postback.{jobId}.{index}"` keyed with the integration's `apiKey`, so only Parley
/// makes links that count, and each names one recipient's copy of one message's action.
struct MailgunPostbackLink {
    var jobId: ResourceID
    var action: Int

    func signature(key: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data("postback.\(jobId.rawValue).\(action)".utf8), using: SymmetricKey(data: Data(key.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    func url(publicBaseURL: String, appId: ResourceID, integrationId: ResourceID, key: String) -> String {
        "\(publicBaseURL)/v2/apps/\(appId.rawValue)/integrations/\(integrationId.rawValue)/inbound/postback"
            + "?job=\(jobId.rawValue)&action=\(action)&signature=\(signature(key: key))"
    }

    /// The link a request's query names, if its signature is the integration's (compared in
    /// constant time by swift-crypto's MAC equality).
    static func verified(query: [String: String], key: String) -> MailgunPostbackLink? {
        guard let jobId = query["job"].flatMap(ResourceID.init), let action = query["action"].flatMap(Int.init), action >= 0,
            let given = query["signature"].flatMap(Hex.bytes), given.count == SHA256.byteCount
        else { return nil }
        let link = MailgunPostbackLink(jobId: jobId, action: action)
        let expected = HMAC<SHA256>.authenticationCode(for: Data("postback.\(jobId.rawValue).\(action)".utf8), using: SymmetricKey(data: Data(key.utf8)))
        return expected == given ? link : nil
    }
}
