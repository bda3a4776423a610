#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole files as bytes with the C library (no Foundation start-up cost).
enum FileBytes {
    /// The file's contents, or the C library's reason why it cannot be read.
    static func read(_ path: String) -> Result<[UInt8], FileError> {
        guard let f = fopen(path, "rb") else { return .failure(FileError(operation: "open", errno: errno)) }
        defer { fclose(f) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            // SAFETY: fread writes at most chunk.count bytes into the buffer it is given.
            let n = chunk.withUnsafeMutableBufferPointer { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { result.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(f) != 0 { return .failure(FileError(operation: "read", errno: errno)) }
                break
            }
        }
        return .success(result)
    }

    /// Everything on standard input.
    static func readStandardInput() -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            // SAFETY: read writes at most chunk.count bytes into the buffer it is given.
            let n = chunk.withUnsafeMutableBufferPointer { readDescriptor(0, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    /// What failed (`open` or `read`, as luaL_loadfile words it) and the `errno` value.
    struct FileError: Error {
        var operation: String
        var errno: Int32
        var reason: String { String(cString: strerror(errno)) }
    }
}

/// The C library's `read` (which `FileBytes.read` hides inside the type).
func readDescriptor(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
