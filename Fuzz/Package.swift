// swift-tools-version:5.4
// libFuzzer targets for Treue (see docs/security.md, "Fuzzing"). Build and run with
// `scripts/fuzz.sh [SECONDS]`; the flags that matter are
// `-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library`. Tools version 5.4 on
// purpose: from 5.5 on SwiftPM renames an executable's `main` (for testable executables),
// which takes `main` away from libFuzzer and fails to link.
import Foundation
import PackageDescription

// The main package is referred to by its folder's name (SwiftPM's identity of a path
// dependency), so the harness builds whatever the checkout is called.
let mainPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "TreueFuzz",
    platforms: [.macOS(.v11)],
    products: [
        .executable(name: "FuzzLineProtocol", targets: ["FuzzLineProtocol"]),
        .executable(name: "FuzzMatching", targets: ["FuzzMatching"]),
        .executable(name: "FuzzJSONLineWriter", targets: ["FuzzJSONLineWriter"]),
    ],
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "TreueCore", package: mainPackage)]
        ),
        .executableTarget(
            name: "FuzzLineProtocol",
            dependencies: ["FuzzSupport", .product(name: "TreueCore", package: mainPackage)]
        ),
        .executableTarget(
            name: "FuzzMatching",
            dependencies: ["FuzzSupport", .product(name: "TreueCore", package: mainPackage)]
        ),
        .executableTarget(
            name: "FuzzJSONLineWriter",
            dependencies: ["FuzzSupport", .product(name: "TreueCore", package: mainPackage)]
        ),
    ]
)
