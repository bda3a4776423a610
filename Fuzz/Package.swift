// swift-tools-version: 6.1
//
// libFuzzer targets for Moonlet (issue 10). A package of its own so that the main package's
// build is untouched; build and run it with ../Scripts/fuzz.sh, which passes
// `-sanitize=fuzzer,address` to every module.
import Foundation
import PackageDescription

// A path dependency's identity is its directory's name (the worktree's name may vary).
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent

let package = Package(
    name: "MoonletFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "MoonletFuzz",
            dependencies: [
                .product(name: "LuaCore", package: rootIdentity),
                .product(name: "LuaStdlib", package: rootIdentity),
            ],
            path: "Sources/MoonletFuzz"
        ),
    ]
)
