#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The process's own figures under Prometheus' usual names (`process_*`), read when `/metrics`
/// is scraped. What a system does not expose is left out (nil), never guessed.
struct ProcessStats {
    var residentBytes: Double?
    var openDescriptors: Double?
    var maximumDescriptors: Double?
    var cpuSeconds: Double?

    static func read() -> ProcessStats {
        var stats = ProcessStats()
        // Linux: /proc/self/statm's second field is the resident set, in pages.
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = statm.split(separator: " ")
            if fields.count > 1, let pages = Double(fields[1]) { stats.residentBytes = pages * Double(sysconf(Int32(_SC_PAGESIZE))) }
        }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            // Less the one this listing held open.
            stats.openDescriptors = Double(max(0, descriptors.count - 1))
        }
        stats.maximumDescriptors = DescriptorLimit.current().map(Double.init)
        var usage = rusage()
        #if canImport(Glibc)
        let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let who = RUSAGE_SELF
        #endif
        if getrusage(who, &usage) == 0 {
            stats.cpuSeconds = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
                + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        }
        return stats
    }
}
