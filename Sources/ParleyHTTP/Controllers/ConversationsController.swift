import Hummingbird
import ParleyDomain
import ParleyWire

/// Conversations and participants: Create/List/Get/Update/DeleteConversation, Join/LeaveConversation,
/// ListParticipants.
struct ConversationsController {
    let conversations: ConversationService
    let publicBaseURL: String?

    func register(on api: APIRouterBuilder) {
        api.on(.createConversation) { call in
            let body = try await call.decode(ConversationBody.self)
            let conversation = try await conversations.create(appId: try call.requiredAppId, body.draft)
            return try JSONResponse.make(ConversationEnvelope(conversation: ConversationWire(conversation)), status: .created)
        }
        api.on(.listConversations) { call in
            let query = call.query
            let pageRequest = try PageQuery.parse(query)
            let page = try await conversations.list(
                appId: try call.requiredAppId, userId: query["filter[userId]"], userExternalId: query["filter[userExternalId]"],
                page: pageRequest)
            return try call.pagedResponse(
                page, request: pageRequest, key: "conversations", publicBaseURL: publicBaseURL, id: \.id, wire: ConversationWire.init)
        }
        api.on(.getConversation) { call in
            let conversation = try await conversations.get(appId: try call.requiredAppId, id: call.parameter("conversationId"))
            return try JSONResponse.make(ConversationEnvelope(conversation: ConversationWire(conversation)))
        }
        api.on(.updateConversation) { call in
            let body = try await call.decode(ConversationBody.self)
            if body.draft.type != nil || !body.draft.participants.isEmpty {
                throw ParleyError.badRequest("Only displayName, description, iconUrl and metadata can be updated")
            }
            let conversation = try await conversations.update(appId: try call.requiredAppId, id: call.parameter("conversationId"), body.draft)
            return try JSONResponse.make(ConversationEnvelope(conversation: ConversationWire(conversation)))
        }
        api.on(.deleteConversation) { call in
            try await conversations.delete(appId: try call.requiredAppId, id: call.parameter("conversationId"))
            return try JSONResponse.empty()
        }
        api.on(.joinConversation) { call in
            let body = try await call.decode(ParticipantBody.self)
            let participant = try await conversations.join(
                appId: try call.requiredAppId, conversationId: call.parameter("conversationId"), body.reference)
            return try JSONResponse.make(ParticipantEnvelope(participant: ParticipantWire(participant)), status: .created)
        }
        api.on(.leaveConversation) { call in
            let body = try await call.decode(LeaveBody.self)
            try await conversations.leave(appId: try call.requiredAppId, conversationId: call.parameter("conversationId"), body.reference)
            return try JSONResponse.empty()
        }
        api.on(.listParticipants) { call in
            let pageRequest = try PageQuery.parse(call.query)
            let page = try await conversations.participants(
                appId: try call.requiredAppId, conversationId: call.parameter("conversationId"), page: pageRequest)
            return try call.pagedResponse(
                page, request: pageRequest, key: "participants", publicBaseURL: publicBaseURL, id: \.id, wire: ParticipantWire.init)
        }
    }
}
