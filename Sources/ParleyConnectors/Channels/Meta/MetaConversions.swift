import ParleyDomain
import ParleyWire

/// Meta's Conversions API for business messaging: the dataset attached to the business's account
/// (`GET {account}/dataset`, made with `POST` when there is none), then `POST {dataset}/events`
/// with each of the caller's events marked as sent from the messaging channel, about the user
/// Meta knows by `userData`. What the spec leaves to Zendesk (`user_data`, `messaging_channel`)
/// is filled in here and overrides what the caller put there.
struct MetaConversions {
    let graph: GraphAPI
    /// `messaging_channel`: `messenger`.
    let messagingChannel: String

    func forward(_ payload: [String: JSONValue], account: String, userData: [String: JSONValue]) async throws -> ConversionEventsReceipt {
        guard case .array(let events)? = payload["data"], !events.isEmpty else {
            throw ParleyError.badRequest("payload.data must list at least one event")
        }
        var body = payload
        body["data"] = .array(
            try events.map { event in
                guard case .object(var fields) = event else { throw ParleyError.badRequest("payload.data must list event objects") }
                fields["messaging_channel"] = .string(messagingChannel)
                fields["user_data"] = .object(userData)
                if fields["action_source"] == nil { fields["action_source"] = .string("business_messaging") }
                return .object(fields)
            })
        let dataset = try await self.dataset(account: account)
        let answer = try await call { try await graph.post("\(FormEncoding.pathSegment(dataset))/events", body) }
        guard answer.succeeded else { throw ParleyError.badRequest("Meta refused the conversion events: \(answer.problem)") }
        let received: Int = if case .integer(let count)? = answer.object["events_received"] { Int(count) } else { events.count }
        return ConversionEventsReceipt(datasetId: dataset, eventsReceived: received)
    }

    /// The account's dataset id, made if the account has none yet.
    private func dataset(account: String) async throws -> String {
        let path = "\(FormEncoding.pathSegment(account))/dataset"
        let found = try await call { try await graph.get(path) }
        if found.succeeded, let id = Self.id(found) { return id }
        let made = try await call { try await graph.post(path, [:]) }
        guard made.succeeded, let id = Self.id(made) else {
            throw ParleyError.badRequest("Meta gave no conversions dataset for account \(account): \(made.problem)")
        }
        return id
    }

    /// `{id}`, or the first of `{data: [{id}]}`.
    private static func id(_ answer: GraphAnswer) -> String? {
        if let id = answer.text("id") { return id }
        if case .array(let items)? = answer.object["data"], case .object(let first)? = items.first, case .string(let id)? = first["id"], !id.isEmpty {
            return id
        }
        return nil
    }

    private func call(_ request: () async throws -> GraphAnswer) async throws -> GraphAnswer {
        do {
            return try await request()
        } catch {
            throw ParleyError(kind: .unavailable, code: "service_unavailable", title: "Meta's Graph API could not be reached to forward the conversion events")
        }
    }
}
