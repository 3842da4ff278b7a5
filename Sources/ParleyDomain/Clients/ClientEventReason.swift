/// Why a client event happened, as its `reason` tells it: `client:add` — `channelLinking`;
/// `client:update` — `confirmed`, `blocked`, `unblocked`, `matched`; `client:remove` — `api`
/// (RemoveClient), `linkFailed`, `linkCancelled`, `theft` (another user's link took the address).
public enum ClientEventReason: String, Sendable {
    case channelLinking
    case confirmed, blocked, unblocked, matched
    case api, linkFailed, linkCancelled, theft
}
