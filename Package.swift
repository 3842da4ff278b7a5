// swift-tools-version:6.1
import PackageDescription

// Every dependency costs CI minutes on a 2-core machine: add one only when a target needs it.
let package = Package(
    name: "parley",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "parley", targets: ["parley"]),
        // A Swift client for the Sunshine Conversations v2 API (Parley's or the original), with
        // models of its own: it imports no Parley module.
        .library(name: "ParleyClient", targets: ["ParleyClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        // Already in the graph through HummingbirdTesting; the webhook dispatcher will use it too.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // The PostgreSQL store: a connection pool (PostgresClient) over NIO, no ORM.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // Already in the graph (Hummingbird, AsyncHTTPClient); named for the outbound client's resolver thread pool.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // WebSocket upgrades for the messenger's and the inbox's realtime sockets.
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        // Metrics: swift-metrics' API (already in the graph through Hummingbird) where they are
        // recorded, swift-prometheus' registry behind `/metrics`.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Traces: swift-distributed-tracing's API (in the graph through Hummingbird and
        // AsyncHTTPClient) where spans are made; swift-otel's OTLP/HTTP exporter behind it. Only the
        // OTLPHTTP trait: the default also builds gRPC (docs/DECISIONS.md "Traces").
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // Rules, entities and store protocols. No HTTP, no SQL, no JSON machinery.
        .target(name: "ParleyDomain"),
        // The Sunshine Conversations JSON dialect's one home: JSON read and written, and each
        // resource and event payload rendered one way, for responses, webhooks and stored columns.
        .target(name: "ParleyWire", dependencies: ["ParleyDomain"]),
        // The embedded store: SQLite in WAL mode through GRDB.
        .target(
            name: "ParleySQLite",
            dependencies: [
                "ParleyDomain",
                "ParleyWire",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's own C interface, for choosing its file locking (`SQLiteStore`).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // The shared store: PostgreSQL through postgres-nio, for several nodes on one database.
        .target(
            name: "ParleyPostgres",
            dependencies: [
                "ParleyDomain",
                "ParleyWire",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Attachments' bytes as files in a directory (beside the SQLite database, or shared by nodes).
        .target(
            name: "ParleyFiles",
            dependencies: [
                "ParleyDomain",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The web messenger's and the agent inbox's pages: plain JavaScript, CSS and HTML compiled
        // into the binary (no build chain, nothing fetched at run time).
        .target(
            name: "ParleyWeb",
            resources: [
                .embedInCode("Assets/messenger.js"), .embedInCode("Assets/messenger.html"), .embedInCode("Assets/messenger-app.js"),
                .embedInCode("Assets/messenger.css"), .embedInCode("Assets/render.js"), .embedInCode("Assets/inbox.html"),
                .embedInCode("Assets/inbox.js"), .embedInCode("Assets/inbox.css"),
            ]
        ),
        // The Sunshine Conversations v2 wire format: routes, DTOs, auth, errors.
        .target(
            name: "ParleyHTTP",
            dependencies: [
                "ParleyDomain",
                "ParleyWire",
                "ParleyWeb",
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // The one HTTP client for requests made on apps' behalf: redirects refused, every address
        // checked against the outbound policy before and at connection.
        .target(
            name: "ParleyOutbound",
            dependencies: [
                "ParleyDomain",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The outbox dispatcher: signed, retried, ordered webhook delivery.
        .target(
            name: "ParleyWebhooks",
            dependencies: [
                "ParleyDomain",
                "ParleyWire",
                "ParleyOutbound",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Channel connectors (Mailgun today) and the dispatcher that sends queued channel jobs.
        .target(
            name: "ParleyConnectors",
            dependencies: [
                "ParleyDomain",
                "ParleyWire",
                "ParleyOutbound",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Composition: configuration -> store -> services -> HTTP. Tests call it too.
        .target(
            name: "ParleyServer",
            dependencies: [
                "ParleyDomain",
                "ParleyWire",
                "ParleySQLite",
                "ParleyPostgres",
                "ParleyHTTP",
                "ParleyWebhooks",
                "ParleyFiles",
                "ParleyConnectors",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "OTel", package: "swift-otel"),
            ]
        ),
        .executableTarget(
            name: "parley",
            dependencies: [
                "ParleyDomain",
                "ParleyServer",
                "ParleySQLite",
                // The administration commands (`parley apps …`) call the server through it.
                "ParleyClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // The client library: AsyncHTTPClient, NIO's buffers, swift-crypto (HS256 JWTs) and Foundation only.
        .target(
            name: "ParleyClient",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),
        // The seed example: its logic as a library (the tests call it), and a command around it.
        .target(
            name: "ParleySeedExample",
            dependencies: ["ParleyClient"],
            path: "Examples/Seed/Sources/ParleySeedExample"
        ),
        .executableTarget(
            name: "parley-seed-example",
            dependencies: ["ParleySeedExample", "ParleyClient"],
            path: "Examples/Seed/Sources/parley-seed-example"
        ),
        // One store conformance suite, run against every store implementation.
        .testTarget(
            name: "ParleyStoreTests",
            dependencies: [
                "ParleyDomain", "ParleyWire", "ParleySQLite", "ParleyPostgres", "ParleyFiles", "ParleyTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "ParleyDomainTests",
            dependencies: ["ParleyDomain"]
        ),
        .testTarget(
            name: "ParleyWireTests",
            dependencies: ["ParleyWire", "ParleyDomain"]
        ),
        // Loopback fakes of the outside world, shared by the test targets.
        .target(
            name: "ParleyTestSupport",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/ParleyTestSupport"
        ),
        .testTarget(
            name: "ParleyWebhooksTests",
            dependencies: [
                "ParleyWebhooks", "ParleyDomain", "ParleyWire", "ParleySQLite", "ParleyTestSupport", "ParleyOutbound",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "ParleyConnectorsTests",
            dependencies: ["ParleyConnectors", "ParleyDomain", "ParleyWire"]
        ),
        // Drives the built `parley` executable over real sockets.
        .testTarget(
            name: "ParleyEndToEndTests",
            dependencies: [
                "ParleyTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ]
        ),
        // Generated hostile input for every parser of outside bytes: each input parses or is
        // refused with the domain's error, never traps. Seeded; the seed is printed for replay.
        .testTarget(
            name: "ParleyFuzzTests",
            dependencies: [
                "ParleyDomain", "ParleyWire", "ParleyHTTP", "ParleyConnectors", "ParleyServer", "ParleyTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "ParleyHTTPTests",
            dependencies: [
                "ParleyServer",
                "ParleyHTTP",
                "ParleyDomain",
                "ParleyWire",
                "ParleyTestSupport",
                // The client library, tested against a live in-process server (ClientLibrary/).
                "ParleyClient",
                "ParleySeedExample",
                // The client library's transport, and the OAuth dance over real sockets.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ]
)
