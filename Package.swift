// swift-tools-version:6.0
// GooseFS-Swift: a distributed caching file system compatible with Tencent GooseFS / Alluxio 2.x.
// Module graph (one-way, see docs/architecture.md):
//   Core ← RPC ← {Journal, UFS} ← {Master, Client} ← Shell ← executables
import PackageDescription

let swiftSettings: [SwiftSetting] = [
  .swiftLanguageMode(.v6)
]

let package = Package(
  name: "GooseFS",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "goosefs-master", targets: ["goosefs-master"]),
    .executable(name: "goosefs-worker", targets: ["goosefs-worker"]),
    .executable(name: "goosefs", targets: ["goosefs"]),
    .executable(name: "goosefs-fuse", targets: ["goosefs-fuse"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
    .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
    .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
  ],
  targets: [
    // Identifiers, errors, configuration, formats. No network, no threads.
    .target(
      name: "GooseFSCore",
      dependencies: [.product(name: "Logging", package: "swift-log")],
      swiftSettings: swiftSettings
    ),
    // SCM_RIGHTS descriptor passing for short-circuit reads (the CMSG macros need C).
    .target(name: "CGooseFSFDPassing"),
    // gRPC contracts (generated from proto/), error <-> status mapping, call identity, retries.
    .target(
      name: "GooseFSRPC",
      dependencies: [
        "GooseFSCore", "CGooseFSFDPassing",
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: swiftSettings
    ),
    // Append-only journal segments with CRC32C framing, checkpoints, the folder lock.
    .target(
      name: "GooseFSJournal",
      dependencies: ["GooseFSCore", .product(name: "Logging", package: "swift-log")],
      swiftSettings: swiftSettings
    ),
    // libcurl and OpenSSL's libcrypto behind one module map (shim for curl's variadic calls).
    .systemLibrary(
      name: "CGooseFSHTTP",
      pkgConfig: "libcurl",
      providers: [.apt(["libcurl4-openssl-dev", "libssl-dev"])]
    ),
    // Under file systems: the protocol, the local-folder adapter and the COS/S3 object-store adapter.
    .target(
      name: "GooseFSUFS",
      dependencies: [
        "GooseFSCore", "CGooseFSHTTP",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ],
      swiftSettings: swiftSettings
    ),
    // Namespace state machine, mount table, services.
    .target(
      name: "GooseFSMaster",
      dependencies: [
        "GooseFSCore", "GooseFSRPC", "GooseFSJournal", "GooseFSUFS",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: swiftSettings
    ),
    // liburing behind a module map (shims for its static inline helpers).
    .systemLibrary(name: "CGooseFSURing", pkgConfig: "liburing", providers: [.apt(["liburing-dev"])]),
    // Tiered block store, io_uring I/O, the block data server, under-store read-through.
    .target(
      name: "GooseFSWorker",
      dependencies: [
        "GooseFSCore", "GooseFSRPC", "GooseFSUFS", "CGooseFSURing",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
      ],
      swiftSettings: swiftSettings
    ),
    // The file-system client used by the CLI (and later FUSE).
    .target(
      name: "GooseFSClient",
      dependencies: [
        "GooseFSCore", "GooseFSRPC",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ],
      swiftSettings: swiftSettings
    ),
    // libfuse3's low-level API (the shim sets FUSE_USE_VERSION before the header).
    .systemLibrary(name: "CGooseFSFuse", pkgConfig: "fuse3", providers: [.apt(["libfuse3-dev"])]),
    // The FUSE daemon's logic: mount options, errno mapping, the low-level bridge (issue 5).
    .target(
      name: "GooseFSFuse",
      dependencies: [
        "GooseFSCore", "GooseFSClient", "CGooseFSFuse",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
      ],
      swiftSettings: swiftSettings
    ),
    // The `goosefs` command line: fs, fsadmin, getConf, format, version.
    .target(
      name: "GooseFSShell",
      dependencies: [
        "GooseFSCore", "GooseFSClient",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
      ],
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "goosefs-master",
      dependencies: ["GooseFSCore", "GooseFSRPC", "GooseFSMaster"],
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "goosefs-worker",
      dependencies: ["GooseFSCore", "GooseFSRPC", "GooseFSWorker"],
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "goosefs-fuse",
      dependencies: ["GooseFSCore", "GooseFSRPC", "GooseFSFuse"],
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "goosefs",
      dependencies: ["GooseFSShell", "GooseFSClient", "GooseFSJournal", "GooseFSCore"],
      swiftSettings: swiftSettings
    ),
    .testTarget(name: "GooseFSCoreTests", dependencies: ["GooseFSCore"], swiftSettings: swiftSettings),
    .testTarget(name: "GooseFSJournalTests", dependencies: ["GooseFSJournal"], swiftSettings: swiftSettings),
    // Real test peers shared by the test targets (moto_server, the fault-injecting proxy).
    .target(name: "GooseFSTestSupport", path: "Tests/GooseFSTestSupport", swiftSettings: swiftSettings),
    // POSIX checks, tool runs and the random-operation tester, run against a real FUSE mount.
    .target(name: "FuseTestKit", path: "Tests/FuseTestKit", swiftSettings: swiftSettings),
    .testTarget(name: "GooseFSUFSTests", dependencies: ["GooseFSUFS", "GooseFSTestSupport"], swiftSettings: swiftSettings),
    .testTarget(
      name: "GooseFSMasterTests",
      dependencies: [
        "GooseFSMaster", "GooseFSJournal", "GooseFSUFS", "GooseFSRPC", .product(name: "NIOPosix", package: "swift-nio"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "GooseFSRPCTests",
      dependencies: [
        "GooseFSRPC", "GooseFSCore",
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "GooseFSFuseTests", dependencies: ["GooseFSFuse", "GooseFSCore", .product(name: "NIOCore", package: "swift-nio")],
      swiftSettings: swiftSettings),
    .testTarget(name: "GooseFSWorkerTests", dependencies: ["GooseFSWorker", "GooseFSCore"], swiftSettings: swiftSettings),
    .testTarget(
      name: "GooseFSClientTests", dependencies: ["GooseFSClient", "GooseFSCore"], swiftSettings: swiftSettings),
    .testTarget(
      name: "GooseFSShellTests",
      dependencies: ["GooseFSShell", "GooseFSCore", "GooseFSClient", .product(name: "NIOCore", package: "swift-nio")],
      swiftSettings: swiftSettings),
    // Starts the real executables as processes; depending on them makes `swift test` build them.
    .testTarget(
      name: "GooseFSIntegrationTests",
      dependencies: [
        "GooseFSCore", "GooseFSClient", "GooseFSWorker", "GooseFSTestSupport", "FuseTestKit", "goosefs-master",
        "goosefs-worker", "goosefs", "goosefs-fuse",
      ],
      swiftSettings: swiftSettings
    ),
  ]
)
