// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "podbench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "podbench", targets: ["podbench"]),
        .executable(name: "podbench-probe", targets: ["podbench-probe"]),
        .executable(name: "podbench-runsc", targets: ["podbench-runsc"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.0"),
        // Already built for swift-subprocess; named because the runtimes use its FilePath.
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.36.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // C shims: calls Swift cannot make (variadic ones, signal handlers).
        .target(name: "CPodbench"),
        // The local runtime's namespace set-up, an ELF constructor that must run before the
        // Swift runtime starts threads; linked into podbench-probe only.
        .target(name: "CPodbenchSandbox"),
        // libpcap, for the loopback capture probe.
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        // What the host and the probes share: the roles' specs (typed parameters, check and
        // metric names), the record format, durations, clocks, namespace identities, the
        // histogram probes record into. No probe body, no libpcap.
        .target(
            name: "PodbenchProbeInterface",
            dependencies: [
                "CPodbench",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // The probe roles' bodies: what runs in the containers (podbench-probe only).
        .target(
            name: "PodbenchProbes",
            dependencies: ["PodbenchProbeInterface", "CPodbench", "CPcap"]
        ),
        // podbench's room for the operating system, below everything else on the host's side:
        // locks, locked directories and their removal, mounts, commands run to their end,
        // signals, the CPU latency hold, host facts, emergency clean-up, the standard streams
        // and the console, one edit distance, and `PodbenchError` with the one table of exit
        // statuses.
        .target(
            name: "PodbenchSystem",
            dependencies: [
                "CPodbench", "PodbenchProbeInterface",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // Scenario model, loading and validation, the runtime protocol, verdicts.
        .target(
            name: "PodbenchCore",
            dependencies: [
                "PodbenchSystem", "PodbenchProbeInterface",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // The CRI's runtime.v1 API, the subset podbench uses: Proto/cri.proto and the messages
        // generated from it (scripts/generate-cri), and unary gRPC calls over HTTP/2 in cleartext
        // to an endpoint's Unix socket.
        .target(
            name: "PodbenchCRI",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Proto"]
        ),
        // Pod runtimes (local Linux namespaces, podman, Kubernetes, the CRI) and the Pod
        // manifest renderer.
        .target(
            name: "PodbenchRuntime",
            dependencies: [
                "CPodbench", "PodbenchSystem", "PodbenchCore", "PodbenchProbeInterface", "PodbenchCRI",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // SQLite store: schema, migrations, records.
        .target(
            name: "PodbenchStore",
            dependencies: [
                "PodbenchSystem", "PodbenchCore", "PodbenchProbeInterface",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // Reports from the store: terminal, HTML with SVG charts, JUnit, JSON, Markdown;
        // comparisons and the regression rule.
        .target(
            name: "PodbenchReport",
            dependencies: [
                "CPodbench", "PodbenchSystem", "PodbenchProbeInterface", "PodbenchCore", "PodbenchStore",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // The CLI's one door: a task per command, taking what its flags give (CommandLine/), and
        // the runner, progress and summary output.
        .target(
            name: "PodbenchKit",
            dependencies: [
                "CPodbench", "PodbenchSystem", "PodbenchCore", "PodbenchProbeInterface", "PodbenchCRI", "PodbenchRuntime", "PodbenchStore", "PodbenchReport",
                "PodbenchBuildInfo", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "podbench",
            dependencies: [
                "PodbenchKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A static executable: a probe starts in 1.3 ms, against 4 with the Swift runtime linked
        // in and libpcap's chain of shared libraries loaded (BENCHMARKS.md, pod start), and the
        // same executable runs alone in the probe image. Every local pod start starts two.
        .executableTarget(name: "podbench-probe", dependencies: ["PodbenchProbes", "PodbenchProbeInterface", "CPodbenchSandbox", "CSystemdStub"],
                          linkerSettings: [.unsafeFlags(["-static-executable"]), .linkedLibrary("dbus-1"), .linkedLibrary("_FoundationCollections"), .linkedLibrary("_FoundationCShims"), .linkedLibrary("swiftSynchronization")]),
        // gVisor's runsc for runc-style monitors (containerd's runc shim, podman's conmon), a
        // pod's containers in one sandbox: the adapter scripts/setup-debian installs as
        // /usr/local/bin/podbench-runsc.
        .target(name: "PodbenchRunsc", dependencies: ["CPodbench"]),
        .executableTarget(name: "podbench-runsc", dependencies: ["PodbenchRunsc", "CPodbench"]),
        // The commit and compiler podbench was built with (`podbench version`), written before
        // each build by the BuildInfo plugin.
        .target(name: "PodbenchBuildInfo", plugins: ["BuildInfo"]),
        .plugin(name: "BuildInfo", capability: .buildTool()),
        // Two libsystemd functions libdbus-1.a calls (libpcap.a needs it) and Debian ships no
        // static library of: the static probe's link only.
        .target(name: "CSystemdStub"),
        // What the tests and the benchmarks share, in neither's folder: the seeded generator,
        // made-up runs written through the store's API (for the report speed benchmark and the
        // tests of reports and the gate), and reading /proc.
        .target(name: "PodbenchTestSupport", dependencies: ["PodbenchCore", "PodbenchProbeInterface", "PodbenchStore"], path: "Support"),
        .executableTarget(name: "podbench-synthetic-db", dependencies: ["PodbenchTestSupport", "PodbenchCore", "PodbenchStore"], path: "Benchmarks/SyntheticDatabase"),
        .testTarget(name: "PodbenchSystemTests", dependencies: ["PodbenchSystem"]),
        .testTarget(name: "PodbenchCoreTests", dependencies: ["PodbenchCore", "PodbenchProbeInterface", "PodbenchTestSupport"]),
        .testTarget(name: "PodbenchRunscTests", dependencies: ["PodbenchRunsc"]),
        .testTarget(name: "PodbenchProbeInterfaceTests", dependencies: ["PodbenchProbeInterface"]),
        .testTarget(name: "PodbenchProbesTests", dependencies: ["PodbenchProbes", "PodbenchProbeInterface"]),
        .testTarget(name: "PodbenchCRITests", dependencies: ["PodbenchCRI"]),
        .testTarget(name: "PodbenchStoreTests", dependencies: ["PodbenchStore", "PodbenchCore", "PodbenchProbeInterface", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "PodbenchKitTests", dependencies: ["PodbenchKit", "PodbenchSystem", "PodbenchCore", "PodbenchProbeInterface", "PodbenchRuntime", "PodbenchStore"]),
        .testTarget(name: "PodbenchRuntimeTests", dependencies: ["PodbenchRuntime", "PodbenchSystem", "PodbenchCore", "PodbenchCRI", "PodbenchProbeInterface", "CPodbench", "PodbenchTestSupport"]),
        .testTarget(name: "PodbenchReportTests", dependencies: ["PodbenchReport", "PodbenchSystem", "PodbenchCore", "PodbenchProbeInterface", "PodbenchStore", "PodbenchTestSupport", .product(name: "Histogram", package: "hdrhistogram-swift")]),
        .testTarget(name: "EndToEndTests", dependencies: ["PodbenchTestSupport", "PodbenchCore", "PodbenchRuntime", "PodbenchReport", "PodbenchStore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Subprocess", package: "swift-subprocess"), .product(name: "SystemPackage", package: "swift-system")]),
    ]
)
