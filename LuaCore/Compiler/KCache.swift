/// The compiler's constant cache (PUC's scanner table `ls->h` as `addk` uses it): the
/// constant index last given to each key, shared by all functions of a chunk.
///
/// Open addressing over two words per key with a multiplicative hash: a Swift `Dictionary`
/// of `KCacheKey` hashed every key through SipHash (`Hasher`), about twice PUC's `addk` per
/// constant in a chunk made of table constructors (`load` of serializer output). Entries are
/// only added or overwritten, never removed.
struct KCache {
    /// The key's kind (1 + case number; 0 marks an empty slot) and its payload bits.
    private var tags: [UInt8]
    private var bits: [UInt64]
    private var values: [Int]
    private var count = 0
    private var mask: Int

    init() {
        tags = Array(repeating: 0, count: 64)
        bits = Array(repeating: 0, count: 64)
        values = Array(repeating: 0, count: 64)
        mask = 63
    }

    @inline(__always)
    private static func split(_ key: KCacheKey) -> (tag: UInt8, bits: UInt64) {
        switch key {
        case .int(let i): (1, UInt64(bitPattern: i))
        case .float(let b): (2, b)
        case .string(let id): (3, UInt64(UInt32(bitPattern: id)))
        case .bool(let b): (4, b ? 1 : 0)
        case .nilKey: (5, 0)
        }
    }

    @inline(__always)
    private func slot(tag: UInt8, bits b: UInt64) -> Int {
        let h = (b ^ UInt64(tag) &<< 56) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h >> 32) & mask
    }

    /// The index stored under `key`, if any; setting it adds or overwrites the entry.
    subscript(key: KCacheKey) -> Int? {
        get {
            let (tag, b) = KCache.split(key)
            var i = slot(tag: tag, bits: b)
            while true {
                let t = tags[i]
                if t == 0 { return nil }
                if t == tag && bits[i] == b { return values[i] }
                i = (i &+ 1) & mask
            }
        }
        set {
            guard let newValue else { return }  // never removed (see the type's comment)
            let (tag, b) = KCache.split(key)
            var i = slot(tag: tag, bits: b)
            while true {
                let t = tags[i]
                if t == 0 { break }
                if t == tag && bits[i] == b { values[i] = newValue; return }
                i = (i &+ 1) & mask
            }
            tags[i] = tag
            bits[i] = b
            values[i] = newValue
            count += 1
            if count &* 2 > mask { grow() }
        }
    }

    /// Doubles the table (kept at most half full, so probe runs stay short).
    private mutating func grow() {
        let oldTags = tags, oldBits = bits, oldValues = values
        let size = (mask + 1) * 2
        tags = Array(repeating: 0, count: size)
        bits = Array(repeating: 0, count: size)
        values = Array(repeating: 0, count: size)
        mask = size - 1
        for j in 0..<oldTags.count where oldTags[j] != 0 {
            var i = slot(tag: oldTags[j], bits: oldBits[j])
            while tags[i] != 0 { i = (i &+ 1) & mask }
            tags[i] = oldTags[j]
            bits[i] = oldBits[j]
            values[i] = oldValues[j]
        }
    }
}
