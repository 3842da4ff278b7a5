import Foundation
import Testing

/// A small, fast, seedable generator (SplitMix64): every case a fuzz test runs is a function of
/// the run's seed, the parser's name and the case's index, so any failure can be replayed exactly.
///
/// Why not `SystemRandomNumberGenerator`: it cannot be replayed. Why not Swift's `Hasher` to mix
/// the parser's name in: it is seeded per process.
struct FuzzRandom: RandomNumberGenerator {
    private var state: UInt64
    /// Whether this case may carry one very large input (~1 MB). Decided once per case, so a
    /// structure of many strings is not much likelier to be huge than a single string: the run
    /// time stays flat whatever the generator builds.
    var mayBeHuge = false

    init(seed: UInt64) {
        state = seed
    }

    /// True once, if the case may carry a huge input (a third of the times it is asked).
    mutating func takeHuge() -> Bool {
        guard mayBeHuge, oneIn(3) else { return false }
        mayBeHuge = false
        return true
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `0..<bound`.
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next() % UInt64(bound))
    }

    /// True with probability `1 / n`.
    mutating func oneIn(_ n: Int) -> Bool { below(n) == 0 }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A length that is usually small and sometimes large: each step up a scale (8, 128, 2,048,
    /// 32,768) is 8 times rarer; beyond that only in a case that may be huge.
    mutating func length(max: Int = 1 << 20) -> Int {
        var limit = 8
        while limit < max, oneIn(8) { limit *= 16 }
        if limit > 32_768, !takeHuge() { limit = 32_768 }
        return below(Swift.min(limit, max) + 1)
    }

    /// FNV-1a: a stable hash of a name, to give each parser a stream of its own.
    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

/// The run's settings, read once from the environment:
/// - `PARLEY_FUZZ_SEED`: the seed (random when unset; always printed);
/// - `PARLEY_FUZZ_CASES`: cases per parser (default 20,000; the HTTP suite sends a fraction);
/// - `PARLEY_FUZZ_CASE`: run only this case index (a failure message names it);
/// - `PARLEY_FUZZ_TRACE=1`: print every case's input before running it, so the last line before a
///   trap is the input that trapped;
/// - `PARLEY_FUZZ_SHOW`: how many failures each test shows in full (default 5; the rest are counted);
/// - `PARLEY_FUZZ_SLOW_SECONDS`: after how long a running case is named in the log (default 10), for
///   inputs that hang a parser rather than fail it.
///
/// The HTTP suite's cases share one server, so a replayed single case meets a fresh fixture, not
/// the state the earlier cases left: replay the whole test (seed only) when a failure needs it.
enum Fuzz {
    static let environment = ProcessInfo.processInfo.environment

    static let seed: UInt64 = environment["PARLEY_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64(Int64.max))

    static let cases: Int = environment["PARLEY_FUZZ_CASES"].flatMap { Int($0) }.map { max(1, $0) } ?? 20_000

    static let onlyCase: Int? = environment["PARLEY_FUZZ_CASE"].flatMap { Int($0) }

    static let tracing = environment["PARLEY_FUZZ_TRACE"] == "1"

    /// Unbuffered: the line is in the log even if the next case traps.
    static func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// The base of one parser's stream: mixes the run's seed with the parser's name.
    static func stream(_ parser: String) -> UInt64 {
        var mixer = FuzzRandom(seed: seed ^ FuzzRandom.hash(parser))
        return mixer.next()
    }

    /// Case `index` of `parser`: independent of every other case and parser.
    static func random(_ parser: String, case index: Int) -> FuzzRandom {
        var mixer = FuzzRandom(seed: stream(parser) &+ UInt64(index) &* 0xD6E8_FEB8_6659_FD93)
        var random = FuzzRandom(seed: mixer.next())
        // One case in 2,000 may be huge: about 10 per parser in a default run.
        random.mayBeHuge = random.oneIn(2000)
        return random
    }

    /// The announcement every fuzz test prints before its first case.
    static func announce(_ parser: String, cases: Int, filter: String) {
        log("fuzz \(parser): seed=\(seed) cases=\(cases) (replay: PARLEY_FUZZ_SEED=\(seed) swift test --filter '\(filter)')")
    }

    /// Which case indices to run: all of them, or the one `PARLEY_FUZZ_CASE` names.
    static func indices(_ cases: Int) -> [Int] {
        if let onlyCase { return [onlyCase] }
        return Array(0..<cases)
    }

    /// Runs `cases` generated cases of `parser`. `filter` is what `swift test --filter` needs to
    /// run just this test (`Suite/function`).
    ///
    /// The cases run on a thread of their own, one fuzz test at a time, not on the test's: a
    /// synchronous loop of 20,000 cases would hold one of the concurrency pool's threads (two on
    /// two cores) for half a minute, and tests of timeouts running beside the fuzz gate saw their
    /// 1 s deadlines fire after 30 s; all of them at once would take the CPU from every other test.
    private static let oneAtATime = NSLock()

    @discardableResult
    static func run(
        _ parser: String, cases: Int = Fuzz.cases, filter: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: @escaping (inout FuzzRandom, FuzzReport) throws -> Void
    ) async throws -> FuzzReport {
        announce(parser, cases: cases, filter: filter)
        let report = FuzzReport(parser: parser, sourceLocation: sourceLocation)
        // Unchecked: the body runs on that one thread while the test waits for it, never on two at once.
        struct Cases: @unchecked Sendable {
            let indices: [Int]
            let body: (inout FuzzRandom, FuzzReport) throws -> Void
        }
        let work = Cases(indices: Array(indices(cases)), body: body)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                oneAtATime.lock()
                defer { oneAtATime.unlock() }
                continuation.resume(with: Result {
                    for index in work.indices {
                        var random = Fuzz.random(parser, case: index)
                        report.begin(index)
                        try work.body(&random, report)
                    }
                })
            }
            // Deeply nested inputs recurse: the stack of a test's own thread, not a small default.
            thread.stackSize = 16 << 20
            thread.start()
        }
        report.finish()
        return report
    }

    @discardableResult
    static func run(
        _ parser: String, cases: Int = Fuzz.cases, filter: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: (inout FuzzRandom, FuzzReport) async throws -> Void
    ) async rethrows -> FuzzReport {
        announce(parser, cases: cases, filter: filter)
        let report = FuzzReport(parser: parser, sourceLocation: sourceLocation)
        for index in indices(cases) {
            var random = Fuzz.random(parser, case: index)
            report.begin(index)
            try await body(&random, report)
        }
        report.finish()
        return report
    }

    /// An input for a failure message: escaped, and cut when long (the case index replays it whole).
    static func show(_ text: String) -> String {
        let limit = 300
        if text.utf8.count <= limit { return text.debugDescription }
        return String(text.prefix(limit)).debugDescription + "… (\(text.utf8.count) bytes)"
    }

    static func show(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return show(text) }
        let hex = bytes.prefix(200).map { String(format: "%02x", $0) }.joined(separator: " ")
        return "bytes[\(bytes.count)]: \(hex)\(bytes.count > 200 ? " …" : "")"
    }
}

/// What one fuzz test found: a few failures in full (each with the seed and case index that
/// replay it), the rest counted, so a systematic fault does not print 20,000 issues. Also counts
/// outcomes, printed as one summary line, to show the generator reaches every branch.
///
/// `@unchecked Sendable`: one test's cases run one after another, and the report only passes
/// from the test to the server closure that runs them and back, never used by two tasks at once.
final class FuzzReport: @unchecked Sendable {
    let parser: String
    let sourceLocation: SourceLocation
    private(set) var index = 0
    private(set) var failures = 0
    private(set) var outcomes: [String: Int] = [:]
    private let started = Date()
    /// How many failures are shown in full (`PARLEY_FUZZ_SHOW`, default 5).
    static let shownFailures = Fuzz.environment["PARLEY_FUZZ_SHOW"].flatMap { Int($0) } ?? 5

    init(parser: String, sourceLocation: SourceLocation) {
        self.parser = parser
        self.sourceLocation = sourceLocation
    }

    /// The slowest case so far, to show where a run's time goes.
    private var slowest: (index: Int, seconds: Double) = (0, 0)
    private var caseStarted = Date()
    /// Cases over 20 ms and the time they took together: the tail that decides the run time.
    private var slow: (count: Int, seconds: Double) = (0, 0)

    func begin(_ index: Int) {
        end()
        self.index = index
        caseStarted = Date()
        Watchdog.shared.watch(self, index: index)
    }

    private func end() {
        let seconds = Date().timeIntervalSince(caseStarted)
        if seconds > slowest.seconds { slowest = (index, seconds) }
        if seconds > 0.02 { slow = (slow.count + 1, slow.seconds + seconds) }
    }

    /// Prints the case's input when tracing (before the case runs: a trap leaves it last in the log).
    func trace(_ input: @autoclosure () -> String) {
        if Fuzz.tracing { Fuzz.log("fuzz \(parser) case \(index): \(input())") }
    }

    func count(_ outcome: String) {
        outcomes[outcome, default: 0] += 1
    }

    func seen(_ outcome: String) -> Int { outcomes[outcome] ?? 0 }

    /// Records a failure unless `condition` holds.
    func expect(_ condition: Bool, _ message: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard !condition else { return }
        fail(message(), sourceLocation: sourceLocation)
    }

    func fail(_ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        failures += 1
        guard failures <= Self.shownFailures else { return }
        Issue.record(
            "\(parser), case \(index) (replay: PARLEY_FUZZ_SEED=\(Fuzz.seed) PARLEY_FUZZ_CASE=\(index)): \(message)",
            sourceLocation: sourceLocation)
    }

    /// A failure already reported and reduced in KnownIssuesTests: shown as a known issue (a few
    /// in full, the rest counted), so the run passes while the fault is there and still says so.
    func knownIssue(_ comment: Comment, _ message: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation) {
        count("known issue")
        guard seen("known issue") <= Self.shownFailures else { return }
        withKnownIssue(comment, isIntermittent: true) {
            Issue.record("\(parser), case \(index) (replay: PARLEY_FUZZ_SEED=\(Fuzz.seed) PARLEY_FUZZ_CASE=\(index)): \(message())", sourceLocation: sourceLocation)
        }
    }

    /// A thrown error that is not the documented one.
    func unexpected(_ error: any Error, _ input: String, sourceLocation: SourceLocation = #_sourceLocation) {
        fail("unexpected error \(String(reflecting: error)) for \(input)", sourceLocation: sourceLocation)
    }

    func finish() {
        end()
        Watchdog.shared.forget(self)
        if failures > Self.shownFailures {
            Issue.record("\(parser): \(failures - Self.shownFailures) more failures (seed \(Fuzz.seed))", sourceLocation: sourceLocation)
        }
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        let tally = outcomes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let slowest = String(
            format: "slowest case %d: %.0f ms; %d cases over 20 ms: %.1f s", self.slowest.index, self.slowest.seconds * 1000, slow.count,
            slow.seconds)
        Fuzz.log("fuzz \(parser): done in \(seconds) s (\(slowest)), failures=\(failures) \(tally)")
    }

    /// Whether the whole run (not a single replayed case) is going: generator-coverage checks
    /// ("some inputs parse") mean something only then.
    var isFullRun: Bool { Fuzz.onlyCase == nil && Fuzz.cases >= 1000 }

    /// A check that the generator reached an outcome at least `minimum` times (only on a full run).
    func expectReached(_ outcome: String, atLeast minimum: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) {
        guard isFullRun else { return }
        let seen = outcomes[outcome] ?? 0
        if seen < minimum {
            Issue.record("\(parser): the generator reached \"\(outcome)\" \(seen) times, expected at least \(minimum) (seed \(Fuzz.seed))",
                         sourceLocation: sourceLocation)
        }
    }
}

/// Says which case is running when one runs for long: a generated input that makes a parser loop
/// (or backtrack exponentially) hangs the run instead of failing it, and the seed alone does not
/// say which of 20,000 cases to replay. Checked once a second from a thread of its own.
final class Watchdog: @unchecked Sendable {
    static let shared = Watchdog()
    /// Seconds a case may run before it is named (`PARLEY_FUZZ_SLOW_SECONDS`, default 10).
    static let limit = Fuzz.environment["PARLEY_FUZZ_SLOW_SECONDS"].flatMap { Double($0) } ?? 10

    private let lock = NSLock()
    private var running: [ObjectIdentifier: (parser: String, index: Int, started: Date, named: Bool)] = [:]

    private init() {
        let thread = Thread { [unowned self] in
            while true {
                Thread.sleep(forTimeInterval: 1)
                self.check()
            }
        }
        thread.name = "fuzz-watchdog"
        thread.start()
    }

    func watch(_ report: FuzzReport, index: Int) {
        lock.withLock { running[ObjectIdentifier(report)] = (report.parser, index, Date(), false) }
    }

    func forget(_ report: FuzzReport) {
        _ = lock.withLock { running.removeValue(forKey: ObjectIdentifier(report)) }
    }

    private func check() {
        let now = Date()
        let slow = lock.withLock {
            var slow: [(String, Int, Double)] = []
            for (key, entry) in running where !entry.named && now.timeIntervalSince(entry.started) > Self.limit {
                running[key]?.named = true
                slow.append((entry.parser, entry.index, now.timeIntervalSince(entry.started)))
            }
            return slow
        }
        for (parser, index, seconds) in slow {
            Fuzz.log(String(format: "fuzz %@: case %d has run for %.0f s (replay: PARLEY_FUZZ_SEED=%llu PARLEY_FUZZ_CASE=%d)", parser, index, seconds, Fuzz.seed, index))
        }
    }
}
