#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C allocator for a thread's value stack and frame block.
///
/// `UnsafeMutablePointer.allocate` and `UnsafeMutableRawPointer.allocate` ask the Swift
/// runtime for its "default" alignment, which `swift_slowAlloc` serves with `posix_memalign`:
/// on glibc ~290 instructions a call, against ~60 for `malloc`, twice per new coroutine
/// (`papers/luacore-vm.md`, "Host calls, 2026-12-06"). `malloc`'s blocks are 16-byte aligned,
/// enough for `LuaValue`, `CallFrame` and the continuation slots.
enum _ThreadBuffers {
    /// An uninitialized block of `byteCount` bytes (traps when the system is out of memory,
    /// as the Swift allocator does).
    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        // SAFETY: a nil result (out of memory) stops the process, as `swift_slowAlloc` does.
        guard let p = malloc(Swift.max(byteCount, 1)) else { fatalError("out of memory allocating a thread buffer") }
        return p
    }

    /// Frees a block from ``allocate(byteCount:)`` (its contents deinitialized, or trivial).
    static func release(_ block: UnsafeMutableRawPointer) {
        // SAFETY: `block` came from `allocate(byteCount:)`, which used the C allocator.
        free(block)
    }
}
