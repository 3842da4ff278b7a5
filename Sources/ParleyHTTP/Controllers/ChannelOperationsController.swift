import Hummingbird
import ParleyDomain
import ParleyWire

/// PostConversionEvents, DownloadMessageRef and SyncUser: the spec's channel-specific operations,
/// as `ChannelOperationsService` decides them.
struct ChannelOperationsController {
    let operations: ChannelOperationsService

    func register(on api: APIRouterBuilder) {
        let operations = self.operations
        api.on(.postConversionEvents) { call in
            let body = try await call.decode(ConversionEventsBody.self)
            let receipt = try await operations.postConversionEvents(
                appId: try call.requiredAppId, conversationId: call.parameter("conversationId"), channel: body.channel, payload: body.payload)
            return try JSONResponse.make(ConversionEventsEnvelope(receipt))
        }
        api.on(.downloadMessageRef) { call in
            let body = try await call.decode(MessageRefBody.self)
            try await operations.downloadMessageRef(appId: try call.requiredAppId, conversationId: call.parameter("conversationId"), userId: body.userId)
        }
        api.on(.syncUser) { call in
            _ = try await call.decodeIfPresent(SyncUserBody.self)
            try await operations.syncUser(appId: try call.requiredAppId, zendeskId: call.parameter("userIdOrExternalId"))
        }
    }
}
