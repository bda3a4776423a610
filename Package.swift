// swift-tools-version: 6.1
//
// Moonlet: an embeddable Lua 5.4 in Swift. This branch carries the compiler front end
// (LuaCore/Compiler) and the first `moonlet` command (`-p`, `--list`).
import PackageDescription

let package = Package(
    name: "Moonlet",
    products: [
        .library(name: "LuaCore", targets: ["LuaCore"]),
        .executable(name: "moonlet", targets: ["moonlet"]),
    ],
    targets: [
        .target(
            name: "LuaCore",
            dependencies: [],
            path: "LuaCore"
        ),
        .executableTarget(
            name: "moonlet",
            dependencies: ["LuaCore"],
            path: "LuaCLI"
        ),
        .testTarget(
            name: "LuaCoreTests",
            dependencies: ["LuaCore"],
            path: "Tests/LuaCoreTests",
            resources: [.copy("Fixtures")]
        ),
    ]
)
