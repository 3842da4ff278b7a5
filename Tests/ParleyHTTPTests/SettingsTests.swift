import Foundation
@testable import ParleyServer
import ParleyDomain
import Testing

/// One table of settings (`Settings`) for the server, `serve --help` and the README.
@Suite("Settings")
struct SettingsTests {
    static var readme: String {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
    }

    @Test("Every setting is in serve --help with its default, and in the README's table")
    func listed() {
        for setting in Settings.all {
            #expect(Settings.help.contains(setting.environment), "\(setting.environment)")
            if let value = setting.defaultValue { #expect(Settings.help.contains("default \(value)"), "\(setting.environment)") }
            #expect(Self.readme.contains("`\(setting.environment)`"), "\(setting.environment) is not in the README")
        }
    }

    @Test("deploy/'s environment file and container recipe name only real settings, with values the server accepts")
    func deploymentFiles() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let known = Set(Settings.all.map(\.environment))
        let environmentFile = try String(contentsOf: repository.appendingPathComponent("deploy/parley.env"), encoding: .utf8)
        var set: [String: String] = [:]
        for line in environmentFile.split(separator: "\n") {
            // Commented examples count too: each must be a setting someone can uncomment.
            let assignment = line.hasPrefix("#") ? line.dropFirst() : line
            guard let equals = assignment.firstIndex(of: "="), assignment.first?.isUppercase == true else { continue }
            let name = String(assignment[..<equals])
            #expect(known.contains(name), "deploy/parley.env sets \(name), which is no setting")
            if !line.hasPrefix("#") { set[name] = String(assignment[assignment.index(after: equals)...]) }
        }
        #expect(set["PARLEY_DATABASE_URL"] != nil)
        _ = try ServerConfiguration.resolve(environment: set)

        let dockerfile = try String(contentsOf: repository.appendingPathComponent("deploy/Dockerfile"), encoding: .utf8)
        let env = try #require(dockerfile.split(separator: "\n").first { $0.hasPrefix("ENV ") })
        let pairs = env.dropFirst(4).split(separator: " ").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
        for pair in pairs { #expect(known.contains(pair[0]), "deploy/Dockerfile sets \(pair[0]), which is no setting") }
        _ = try ServerConfiguration.resolve(environment: Dictionary(uniqueKeysWithValues: pairs.filter { $0.count == 2 }.map { ($0[0], $0[1]) }))
    }

    @Test("The defaults the help shows are the ones the server uses")
    func defaults() throws {
        let configuration = try ServerConfiguration.resolve(environment: [:])
        #expect(configuration.hostname == Settings.hostname.defaultValue)
        #expect("\(configuration.port)" == Settings.port.defaultValue)
        #expect(configuration.database == .sqlite(path: "parley.sqlite"))
        #expect("\(Int(configuration.connectionLimits.headerTimeoutSeconds))" == Settings.headerTimeout.defaultValue)
        #expect("\(Int(configuration.connectionLimits.idleTimeoutSeconds))" == Settings.idleTimeout.defaultValue)
        #expect("\(configuration.connectionLimits.maxConnections)" == Settings.maxConnections.defaultValue)
        #expect("\(configuration.messageLimit)" == Settings.messageLimit.defaultValue)
        #expect("\(configuration.webhookPolicy.maxAttempts)" == Settings.webhookMaxAttempts.defaultValue)
        #expect("\(configuration.databaseConnections)" == Settings.databaseConnections.defaultValue)
        for (type, setting) in Settings.channelAPIs { #expect(configuration.channelAPIURLs[type] == setting.defaultValue) }
        #expect(Set(configuration.channelAPIURLs.keys) == ["mailgun", "twilio", "telegram", "whatsapp", "messenger", "instagram", "messagebird"])
        // One setting moves both of Meta's Messenger Platform channels; it is listed once.
        let moved = try ServerConfiguration.resolve(environment: ["PARLEY_MESSENGER_API_URL": "http://127.0.0.1:9/v21.0"])
        #expect(moved.channelAPIURLs["messenger"] == "http://127.0.0.1:9/v21.0" && moved.channelAPIURLs["instagram"] == "http://127.0.0.1:9/v21.0")
        #expect(Settings.all.filter { $0.environment == "PARLEY_MESSENGER_API_URL" }.count == 1)
        #expect(configuration.logLevel == .info)
        #expect(configuration.rateLimit == nil)
        // The burst defaults to one second's worth of the rate, rounded up.
        #expect(try ServerConfiguration.resolve(environment: ["PARLEY_RATE_LIMIT": "2.5"]).rateLimit == RateLimit(perSecond: 2.5, burst: 3))
        #expect(try ServerConfiguration.resolve(environment: ["PARLEY_RATE_LIMIT": "2.5", "PARLEY_RATE_BURST": "40"]).rateLimit?.burst == 40)
        #expect(configuration.retention == RetentionPolicy(eventDays: 30, deliveredDays: 7, channelJobDays: 30))
        let retention = try ServerConfiguration.resolve(
            environment: ["PARLEY_EVENT_RETENTION_DAYS": "90", "PARLEY_DELIVERED_RETENTION_DAYS": "0", "PARLEY_CHANNEL_JOB_RETENTION_DAYS": "1"]).retention
        #expect(retention == RetentionPolicy(eventDays: 90, deliveredDays: nil, channelJobDays: 1))
    }

    @Test("A flag is checked like its variable and named as given; the flag wins")
    func flags() throws {
        #expect(try ServerConfiguration.resolve(flags: ["port": "9000"], environment: ["PARLEY_PORT": "9001"]).port == 9000)
        #expect(try ServerConfiguration.resolve(environment: ["PARLEY_PORT": "9001"]).port == 9001)
        for (flags, environment, message) in [
            (["port": "99999"], [:], "--port must be a port number from 0 to 65535, got '99999'"),
            ([:], ["PARLEY_PORT": "99999"], "PARLEY_PORT must be a port number"),
            (["port": "eighty"], [:], "--port must be"),
            (["database": "mysql://x"], [:], "--database: Unrecognised database"),
            ([:], ["LOG_LEVEL": "loud"], "LOG_LEVEL must be one of"),
            ([:], ["PARLEY_MAX_CONNECTIONS": "0"], "PARLEY_MAX_CONNECTIONS must be a whole number from 1"),
            ([:], ["PARLEY_WEBHOOK_TIMEOUT_SECONDS": "1e400"], "PARLEY_WEBHOOK_TIMEOUT_SECONDS must be a positive number"),
            ([:], ["PARLEY_OUTBOUND_ALLOW": "everything"], "PARLEY_OUTBOUND_ALLOW must list networks"),
            ([:], ["PARLEY_RATE_LIMIT": "0"], "PARLEY_RATE_LIMIT must be a positive number of requests a second"),
            ([:], ["PARLEY_RATE_LIMIT": "5", "PARLEY_RATE_BURST": "0"], "PARLEY_RATE_BURST must be a whole number from 1"),
            ([:], ["PARLEY_RATE_BURST": "5"], "PARLEY_RATE_BURST needs PARLEY_RATE_LIMIT"),
            ([:], ["PARLEY_EVENT_RETENTION_DAYS": "-1"], "PARLEY_EVENT_RETENTION_DAYS must be a whole number from 0 to 36500"),
        ] as [([String: String], [String: String], String)] {
            #expect {
                try ServerConfiguration.resolve(flags: flags, environment: environment)
            } throws: { error in
                "\(error)".contains(message)
            }
        }
    }
}
