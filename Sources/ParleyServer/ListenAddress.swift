#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether the server can listen where it is told to, found out before anything else happens:
/// a busy port must not leave a new database and a printed account key behind it.
enum ListenAddress {
    /// Binds a socket to `hostname:port` as the server will (address reuse on) and lets it go.
    /// Port 0 (any free port) always works and is not tried.
    static func requireAvailable(hostname: String, port: Int) throws {
        guard port != 0 else { return }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(hostname, String(port), &hints, &result)
        guard resolved == 0, let address = result else {
            throw ConfigurationError("Cannot listen on \(hostname):\(port): \(hostname) is not an address or a host name this machine resolves")
        }
        defer { freeaddrinfo(result) }
        let descriptor = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
        guard descriptor >= 0 else { return }  // the server's own attempt will say what is wrong
        defer { close(descriptor) }
        var on: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard bind(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) != 0 else { return }
        let reason: String
        switch errno {
        case EADDRINUSE: reason = "the port is in use (another parley serve, or another program)"
        case EACCES: reason = "this user may not use the port (ports below 1024 need privileges)"
        case EADDRNOTAVAIL: reason = "\(hostname) is not an address of this machine"
        default: reason = String(cString: strerror(errno))
        }
        throw ConfigurationError("Cannot listen on \(hostname):\(port): \(reason)")
    }
}
