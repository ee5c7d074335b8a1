// swift-tools-version:6.1
// dispo — log and browse Amplemarket calls from a terminal.
// Layers (arrows point down; see docs/architecture.md):
//   dispo → DispoApp → DispoTerminal → DispoViewModel → AmplemarketModels
//                    → DispoStore, AmplemarketAPI → AmplemarketModels
//   DispoSandbox stands alone (its own wire encoding, so it checks the client independently).
//   PhoneNumbers → CPhoneNumbers (C interface over Debian's libphonenumber; docs/phone-numbers.md).
import PackageDescription

let package = Package(
    name: "dispo",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dispo", targets: ["dispo"]),
        .executable(name: "dispo-bench", targets: ["DispoBenchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The in-process benchmarks' harness. Only the malloc interposer trait: its runtime interposer
        // needs a package this mirror does not carry.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // No pkgConfig: SwiftPM drops the -D flags pkg-config gives (and warns of "prohibited flags");
        // the shim defines what the wide-character API needs, the modulemap links ncursesw and tinfo.
        .systemLibrary(
            name: "CNcursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(
            name: "CPhoneNumbers",
            linkerSettings: [
                .linkedLibrary("phonenumber"), .linkedLibrary("geocoding"), .linkedLibrary("icuuc"),
            ]
        ),
        .target(name: "PhoneNumbers", dependencies: ["CPhoneNumbers"]),
        .target(name: "CLoaderPages"),
        .target(name: "AmplemarketModels"),
        .target(
            name: "AmplemarketAPI",
            dependencies: [
                "AmplemarketModels",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "DispoStore",
            dependencies: [
                "AmplemarketModels",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(name: "DispoViewModel", dependencies: ["AmplemarketModels", "PhoneNumbers"]),
        .target(name: "DispoTerminal", dependencies: ["CNcursesw", "DispoViewModel"]),
        .target(
            name: "DispoSandbox",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "DispoApp",
            dependencies: [
                "AmplemarketModels", "AmplemarketAPI", "DispoStore", "DispoViewModel",
                "DispoTerminal", "DispoSandbox", "PhoneNumbers", "CLoaderPages",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .executableTarget(
            name: "dispo",
            dependencies: [
                "DispoApp", "DispoStore", "DispoViewModel", "AmplemarketAPI", "AmplemarketModels", "DispoSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(name: "DispoBenchmarks", dependencies: ["AmplemarketModels", "DispoStore", "DispoViewModel",
                                                                   .product(name: "GRDB", package: "GRDB.swift")]),
        .executableTarget(
            name: "ViewModelBenchmarks",
            dependencies: ["DispoViewModel", "AmplemarketModels", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/ViewModelBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .testTarget(
            name: "AmplemarketAPITests",
            dependencies: ["AmplemarketModels", "AmplemarketAPI", "DispoSandbox",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "DispoViewModelTests", dependencies: ["DispoViewModel", "AmplemarketModels"],
                    resources: [.copy("Snapshots")]),
        .testTarget(name: "DispoTerminalTests", dependencies: ["DispoTerminal", "DispoViewModel"]),
        .testTarget(name: "DispoStoreTests", dependencies: [
            "DispoStore", "AmplemarketModels", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "DispoSandboxTests", dependencies: ["DispoSandbox", .product(name: "AsyncHTTPClient", package: "async-http-client")]),
        .testTarget(name: "DispoAppTests", dependencies: ["DispoApp", "DispoSandbox", "DispoStore", "DispoViewModel",
                                                          "AmplemarketAPI", "AmplemarketModels",
                                                          .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "PhoneNumbersTests", dependencies: ["PhoneNumbers", "CPhoneNumbers", "CLoaderPages"]),
        .testTarget(name: "DispoEndToEndTests", dependencies: ["DispoSandbox", "AmplemarketAPI", "AmplemarketModels", "PhoneNumbers", "DispoTerminal"]),
    ]
)
