// swift-tools-version: 6.1
//
// Moonlet: reusable garbage-collection components in Swift and a Lua 5.4 built on them.
//
// Each library lives in a top-level folder named after it (README.md, "Layout").
//
// Compile-time defines:
// - `GCARENA_DEBUG` (GCArena, debug builds only): every object header carries a magic word
//   and its arena's id; every dereference checks both; freed objects are poisoned and
//   quarantined instead of released, so a handle kept across `mutate` calls traps instead
//   of reading reused memory. Release builds never define it.
import PackageDescription

/// Release builds of the libraries moonlet links get concrete generic type metadata through
/// direct accessor calls instead of demangling a type name on first use, which also looked
/// up every protocol conformance the name's requirements need by scanning all conformance
/// records: 0.75 M of `moonlet -e ''`'s instructions (papers/luacore-vm.md, "Start-up").
/// Unsafe flags are fine for this root package, but SwiftPM refuses them in a package
/// depended upon by version: a release of the libraries for others must drop this.
let directMetadataAccess: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"],
                 .when(configuration: .release)),
]

/// Release builds of LuaCore lay out basic blocks with LLVM's ext-TSP algorithm (fall-through
/// and code locality weighed together) instead of the default chain-based placement. The
/// interpreter loop is one large `switch`, and its speed on Zen 4 depends on where the hot
/// handlers land: with the same instructions (within 1.4%), mandelbrot and nbody run
/// 0.82-0.88x and queens 0.90-0.96x the time of the default layout, the rest unchanged
/// (papers/luacore-vm.md, "Loop IPC and code layout"). Functions, and every block reached only
/// by jumps (the loop's handlers), start on 64-byte lines: the loop is bound by instruction
/// fetch, and the hot paths then cross 30-95% fewer lines (mandelbrot 0.94x, nbody 0.95x,
/// loops 0.97x of the time, the rest unchanged, at the same instructions), and where the
/// dispatch block falls in its line follows from the loop's code alone (a dispatch block
/// straddling two lines cost mandelbrot 16-25%; `Scripts/show-dispatch.sh` reports it).
/// papers/luacore-vm.md, "The dispatch block's 64-byte line". Layout choices only: the padding
/// is never executed and nothing else in the generated code changes. The same unsafe-flags
/// caveat as above applies.
let loopBlockPlacement: [SwiftSetting] = [
    .unsafeFlags(["-Xllvm", "-enable-ext-tsp-block-placement=true",
                  "-Xllvm", "-align-all-functions=6", "-Xllvm", "-align-all-nofallthru-blocks=6"],
                 .when(configuration: .release)),
]

let package = Package(
    name: "Moonlet",
    products: [
        .library(name: "GCArena", targets: ["GCArena"]),
        .library(name: "LuaCore", targets: ["LuaCore"]),
        .library(name: "LuaStdlib", targets: ["LuaStdlib"]),
        .executable(name: "moonlet", targets: ["moonlet"]),
        .executable(name: "gcarena-demo", targets: ["GCArenaDemo"]),
        .executable(name: "gcarena-bench", targets: ["GCArenaBench"]),
        .library(name: "GCSequence", targets: ["GCSequence"]),
        .executable(name: "gcsequence-bench", targets: ["GCSequenceBench"]),
        .executable(name: "tinylisp", targets: ["TinyLisp"]),
        .executable(name: "rules-engine", targets: ["RulesEngine"]),
        .executable(name: "tinylisp-confined", targets: ["TinyLispConfined"]),
        .executable(name: "host-api-bench", targets: ["HostAPIBench"]),
    ],
    dependencies: [
        // `swift package generate-documentation` for the DocC catalogs (Scripts/build-docs.sh).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "GCArena",
            path: "GCArena",
            swiftSettings: [
                .enableExperimentalFeature("Lifetimes"),
                // SAFETY: `import Builtin` is confined to Confined/_ConfinedStorage.swift, the
                // only way to store `~Escapable` values in raw memory (UnsafeMutablePointer
                // needs Escapable); that file documents the invariants of each access.
                .enableExperimentalFeature("BuiltinModule"),
                .define("GCARENA_DEBUG", .when(configuration: .debug)),
            ] + directMetadataAccess
        ),
        .target(
            name: "LuaCore",
            dependencies: ["GCArena", "GCSequence"],
            path: "LuaCore",
            swiftSettings: [
                .enableExperimentalFeature("Lifetimes"),
                // `@_extern(c)`: calls C's non-variadic `strfromd` for `%.14g` number formatting.
                .enableExperimentalFeature("Extern"),
            ] + directMetadataAccess + loopBlockPlacement
        ),
        .target(
            name: "LuaStdlib",
            dependencies: ["LuaCore", "GCArena"],
            path: "LuaStdlib",
            // `@_extern(c)`: `string.format` calls C's non-variadic `strfromd` for floats.
            swiftSettings: [.enableExperimentalFeature("Lifetimes"), .enableExperimentalFeature("Extern")]
                + directMetadataAccess
        ),
        .executableTarget(
            name: "moonlet",
            dependencies: ["LuaCore", "LuaStdlib"],
            path: "LuaCLI",
            exclude: ["Link"],
            swiftSettings: directMetadataAccess,
            // Start-up (papers/luacore-vm.md, "Start-up"): the Swift runtime, libstdc++ and
            // libgcc linked in statically, so the dynamic loader has almost no symbols to
            // resolve. LuaCLI/Link/libstdc++.so is a linker script naming libstdc++.a, found
            // before the shared one; the REPL loads libedit itself (LineReader.swift). No
            // dynamic symbol table of every Swift symbol (`-static-stdlib` exports them all;
            // nothing looks them up, but the runtime's `dladdr` at start-up scanned it).
            linkerSettings: [.unsafeFlags(["-static-stdlib", "-L", Context.packageDirectory + "/LuaCLI/Link",
                                           "-Xclang-linker", "-static-libgcc",
                                           "-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux]))]
        ),
        .executableTarget(
            name: "GCArenaDemo",
            dependencies: ["GCArena"],
            path: "Examples/GCArenaDemo"
        ),
        // A second language on the arena: the interpreter is a library so tests can import it.
        .target(
            name: "TinyLispCore",
            dependencies: ["GCArena"],
            path: "Examples/TinyLisp/Core"
        ),
        .executableTarget(
            name: "TinyLisp",
            dependencies: ["TinyLispCore"],
            path: "Examples/TinyLisp/CLI"
        ),
        // An embedding example: a pricing-rules engine on LuaCore's host API (issue 13).
        .target(
            name: "RulesEngineCore",
            dependencies: ["LuaCore", "LuaStdlib", "GCArena"],
            path: "Examples/RulesEngine/Core"
        ),
        .executableTarget(
            name: "RulesEngine",
            dependencies: ["RulesEngineCore"],
            path: "Examples/RulesEngine/CLI"
        ),
        .testTarget(
            name: "RulesEngineTests",
            dependencies: ["RulesEngineCore"],
            path: "Tests/RulesEngineTests"
        ),
        // TinyLisp again on the statically confined API (ConfinedArena), side by side with the
        // `Gc` version for comparison (papers/gcarena-static-branding.md).
        .target(
            name: "TinyLispConfinedCore",
            dependencies: ["GCArena"],
            path: "Examples/TinyLispConfined/Core",
            swiftSettings: [.enableExperimentalFeature("Lifetimes")]
        ),
        .executableTarget(
            name: "TinyLispConfined",
            dependencies: ["TinyLispConfinedCore"],
            path: "Examples/TinyLispConfined/CLI"
        ),
        .executableTarget(
            name: "GCArenaBench",
            dependencies: ["GCArena"],
            path: "Benchmarks/GCArenaBench",
            swiftSettings: [.enableExperimentalFeature("Lifetimes")]
        ),
        // The embedding API against PUC-Rio Lua's C API (Benchmarks/HostAPI/run.sh).
        .executableTarget(
            name: "HostAPIBench",
            dependencies: ["LuaCore", "LuaStdlib"],
            path: "Benchmarks/HostAPIBench"
        ),
        .target(
            name: "GCSequence",
            dependencies: ["GCArena"],
            path: "GCSequence",
            swiftSettings: [.enableExperimentalFeature("Lifetimes")] + directMetadataAccess
        ),
        .executableTarget(
            name: "GCSequenceBench",
            dependencies: ["GCArena", "GCSequence"],
            path: "Benchmarks/GCSequenceBench",
            swiftSettings: [.enableExperimentalFeature("Lifetimes")]
        ),
        .testTarget(
            name: "GCSequenceTests",
            dependencies: ["GCArena", "GCSequence"],
            path: "Tests/GCSequenceTests",
            swiftSettings: [.enableExperimentalFeature("Lifetimes")]
        ),
        .testTarget(
            name: "GCArenaTests",
            dependencies: ["GCArena"],
            path: "Tests/GCArenaTests",
            swiftSettings: [.enableExperimentalFeature("Lifetimes")]
        ),
        // Runs the built moonlet (and lua5.4 when present) on recorded command lines.
        .testTarget(
            name: "MoonletTests",
            path: "Tests/MoonletTests",
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "TinyLispTests",
            dependencies: ["TinyLispCore"],
            path: "Tests/TinyLispTests"
        ),
        .testTarget(
            name: "TinyLispConfinedTests",
            dependencies: ["TinyLispConfinedCore"],
            path: "Tests/TinyLispConfinedTests"
        ),
        .testTarget(
            name: "LuaCoreTests",
            dependencies: ["LuaCore", "GCArena"],
            path: "Tests/LuaCoreTests",
            resources: [.copy("Fixtures")],
            swiftSettings: [.enableExperimentalFeature("Lifetimes")]
        ),
        .testTarget(
            name: "LuaStdlibTests",
            dependencies: ["LuaStdlib", "LuaCore", "GCArena"],
            path: "Tests/LuaStdlibTests",
            resources: [.copy("Fixtures")],
            swiftSettings: [.enableExperimentalFeature("Lifetimes")]
        ),
    ]
)
