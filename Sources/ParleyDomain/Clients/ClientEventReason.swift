/// Why a client event happened, as its `reason` tells it: `client:add` — `channelLinking`,
/// `sdkLogin` (a messenger's first session made the user's `sdk` client);
/// `client:update` — `confirmed`, `blocked`, `unblocked`, `matched`; `client:remove` — `api`
/// (RemoveClient), `linkFailed`, `linkCancelled`, `theft` (another user's link took the address).
public enum ClientEventReason: String, Sendable {
    case channelLinking, sdkLogin
    case confirmed, blocked, unblocked, matched
    case api, linkFailed, linkCancelled, theft
}
