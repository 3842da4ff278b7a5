/// What became of an attempt to exchange an authorization code.
public enum OAuthRedemption: Hashable, Sendable {
    /// The code was fresh: it is now spent and the key given with it exists.
    case issued
    /// The code had been exchanged before: the key it was exchanged for is deleted (RFC 6749
    /// §4.1.2: a code used twice revokes what it granted) and nothing is issued.
    case replayed
    /// No such code (never issued, or its client or app deleted since).
    case unknown
}
