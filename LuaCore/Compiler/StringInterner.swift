/// Interns the byte strings of one compilation so names and string constants compare as
/// small integers, as PUC's scanner table lets lparser.c compare `TString` pointers.
///
/// Bytes live in one growing arena and the hash table is open-addressed, so interning a
/// name seen before allocates nothing.
struct StringInterner {
    private var storage: [UInt8] = []
    private var offsets: [Int32] = [0]
    private var hashes: [UInt32] = []
    /// Slot -> string id + 1 (0 marks an empty slot).
    private var slots: [Int32]
    private var mask: Int

    /// Ids of the strings interned by `init`, which the parser needs by name.
    enum Fixed {
        /// Reserved words occupy ids 0..<reservedCount, in token order.
        static let reservedCount: Int32 = 22
        static let env: Int32 = 22
        static let selfName: Int32 = 23
        static let forState: Int32 = 24
        static let breakLabel: Int32 = 1
    }

    static let reservedWords = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
        "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    init() {
        slots = Array(repeating: 0, count: 1024)
        mask = 1023
        for word in StringInterner.reservedWords + ["_ENV", "self", "(for state)"] {
            let bytes = Array(word.utf8)
            // SAFETY: the pointer is used only inside the closure; intern copies the bytes.
            _ = bytes.withUnsafeBufferPointer { intern($0) }
        }
    }

    var count: Int { hashes.count }

    /// Returns the id of `bytes`, adding it if it is new.
    @inline(__always)
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = StringInterner.hash(bytes)
        var slot = Int(h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let id = Int(entry - 1)
            if hashes[id] == h && equals(id, bytes) { return Int32(id) }
            slot = (slot + 1) & mask
        }
        let id = Int32(hashes.count)
        hashes.append(h)
        storage.append(contentsOf: bytes)
        offsets.append(Int32(storage.count))
        slots[slot] = id + 1
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    /// The bytes of string `id`.
    func bytes(_ id: Int32) -> [UInt8] {
        Array(storage[Int(offsets[Int(id)])..<Int(offsets[Int(id) + 1])])
    }

    /// The length in bytes of string `id`.
    func length(_ id: Int32) -> Int { Int(offsets[Int(id) + 1] - offsets[Int(id)]) }

    private func equals(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(offsets[id])
        let end = Int(offsets[id + 1])
        if end - start != bytes.count { return false }
        var i = 0
        while i < bytes.count {
            if storage[start + i] != bytes[i] { return false }
            i += 1
        }
        return true
    }

    private mutating func grow() {
        let newCount = slots.count * 2
        slots = Array(repeating: 0, count: newCount)
        mask = newCount - 1
        for id in 0..<hashes.count {
            var slot = Int(hashes[id]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }

    /// FNV-1a over the bytes; names are short, so a simple byte loop is fastest.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in bytes { h = (h ^ UInt32(b)) &* 16_777_619 }
        return h
    }
}
