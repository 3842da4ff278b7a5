/// The body of a switchboard action: the target (pass and offer) and metadata carried into the
/// action's event.
struct ControlAction: Encodable {
    var switchboardIntegration: String?
    var metadata: JSONObject?
}
