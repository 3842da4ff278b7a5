import Synchronization

/// Who won the race between a lease and its deadline, decided once under a lock.
final class LeaseState: Sendable {
    private enum Phase { case waiting, leased, expired }
    private let phase = Mutex(Phase.waiting)

    func enter() -> Bool {
        phase.withLock { phase in
            guard phase == .waiting else { return false }
            phase = .leased
            return true
        }
    }

    func expire() -> Bool {
        phase.withLock { phase in
            guard phase == .waiting else { return false }
            phase = .expired
            return true
        }
    }
}
