import Hummingbird
import ParleyDomain
import ParleyWire

/// Messages and activity: PostMessage, ListMessages, DeleteMessage, DeleteAllMessages, PostActivity.
struct MessagesController {
    let messages: MessageService
    let publicBaseURL: String?

    func register(on api: APIRouterBuilder) {
        api.on(.postMessage) { call in
            let body = try MessageBody(json: await call.decodeJSON())
            let posted = try await messages.post(appId: try call.requiredAppId, conversationId: call.parameter("conversationId"), body.draft)
            return try JSONResponse.make(json: .object(["messages": .array(posted.map(\.json))]), status: .created)
        }
        api.on(.listMessages) { call in
            // ListMessages ignores page[size]: its pages are always 100 messages.
            var pageRequest = try PageQuery.parse(call.query)
            pageRequest.size = MessageService.pageSize
            let page = try await messages.list(
                appId: try call.requiredAppId, conversationId: call.parameter("conversationId"), cursor: pageRequest.cursor)
            return try call.pagedResponse(
                page, request: pageRequest, key: "messages", publicBaseURL: publicBaseURL, newestFirst: true, id: \.id,
                wire: \.json)
        }
        api.on(.deleteAllMessages) { call in
            try await messages.deleteAll(appId: try call.requiredAppId, conversationId: call.parameter("conversationId"))
            return try JSONResponse.empty()
        }
        api.on(.deleteMessage) { call in
            try await messages.delete(
                appId: try call.requiredAppId, conversationId: call.parameter("conversationId"), messageId: call.parameter("messageId"))
            return try JSONResponse.empty()
        }
        api.on(.postActivity) { call in
            let body = try await call.decode(ActivityBody.self)
            try await messages.activity(
                appId: try call.requiredAppId, conversationId: call.parameter("conversationId"), author: body.author, type: body.type)
            return try JSONResponse.empty()
        }
    }
}
