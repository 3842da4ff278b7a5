// swift-tools-version:6.1
import PackageDescription

// The reference for bench/run: a bare Hummingbird endpoint, built in the same (release) mode as
// Parley, measured on the same machine in the same run. A package of its own so the project's
// build (and CI) never compiles it.
let package = Package(
    name: "reference",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        .executableTarget(name: "reference", dependencies: [.product(name: "Hummingbird", package: "hummingbird")]),
    ]
)
