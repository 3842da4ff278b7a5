#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open file descriptors, which bounds how many connections it can hold.
enum DescriptorLimit {
    /// Descriptors kept for everything but client connections: the database and its WAL, the
    /// PostgreSQL pool, outbound HTTP clients, logs.
    static let reserve = 128

    /// Raises the soft limit to the hard limit where the system allows (many systems start
    /// processes at 1,024 with a far higher hard limit); returns the soft limit in force, nil
    /// when it cannot be read.
    @discardableResult
    static func raise() -> Int? {
        guard var limit = read() else { return nil }
        var target = limit.rlim_max
        #if canImport(Darwin)
        // Darwin refuses an unlimited soft limit for descriptors.
        target = min(target, rlim_t(OPEN_MAX))
        #endif
        if limit.rlim_cur < target {
            var raised = limit
            raised.rlim_cur = target
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur > rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }

    /// The soft limit in force, nil when it cannot be read (`process_max_fds`).
    static func current() -> Int? {
        read().map { $0.rlim_cur > rlim_t(Int.max) ? Int.max : Int($0.rlim_cur) }
    }

    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif

    private static func read() -> rlimit? {
        var limit = rlimit()
        return getrlimit(resource, &limit) == 0 ? limit : nil
    }

    /// The connection cap a server can keep with `softLimit` descriptors: `configured`, or less.
    static func connectionCap(configured: Int, softLimit: Int?) -> Int {
        guard let softLimit else { return configured }
        return max(1, min(configured, softLimit - reserve))
    }
}
