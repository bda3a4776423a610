// A tour of GCArena: a garbage-collected graph with cycles, a weak cache, finalization
// with resurrection, dynamic roots, a memory limit, and incremental collection paced by
// allocation debt.
//
//     swift run -c release gcarena-demo
import GCArena

/// A document in a toy editor: a doubly linked list of lines (so, full of cycles).
struct Line: Collect {
    var text: String
    var prev: Gc<Line>?
    var next: Gc<Line>?
    func trace(_ tracer: inout Tracer) {
        tracer.trace(prev)
        tracer.trace(next)
    }
}

struct Editor: Collect {
    var first: Gc<Line>?
    var cache: [GcWeak<Line>] = []        // weak: never keeps a line alive
    var closing: [GcWeak<Line>] = []      // lines that want a "finalizer"
    var finalized: [Gc<Line>] = []        // resurrected, waiting for their finalizer
    func trace(_ tracer: inout Tracer) {
        tracer.trace(first)
        tracer.trace(cache)
        tracer.trace(closing)
        tracer.trace(finalized)
    }
}

@main
struct GCArenaDemo {
    static func main() throws {
        let arena = Arena<Editor> { _ in Editor() }
        arena.finalizationHook = { fc, editor in
            // Resurrect dying lines that asked for a finalizer, newest first (as Lua does).
            var keep: [GcWeak<Line>] = []
            for weak in editor.closing.reversed() {
                if fc.isDead(weak), let line = fc.resurrect(weak) { editor.finalized.append(line) } else { keep.append(weak) }
            }
            editor.closing = keep.reversed()
        }

        // 1. Build a 10,000-line document: every line points both ways.
        try arena.mutate { mc, editor in
            var previous: Gc<Line>? = nil
            for i in 0..<10_000 {
                let line = try mc.allocate(Line(text: "line \(i)", prev: previous, next: nil))
                if let previous { previous.write(mc).value.next = line } else { editor.first = line }
                previous = line
                if i % 1000 == 0 { editor.cache.append(line.downgrade()) }
            }
        }
        print("built:      \(arena.metrics.objectCount) objects, \(arena.metrics.heapBytes / 1024) KiB")

        // 2. Edit heavily: replace lines, creating garbage; pay the debt after each batch.
        var peak = 0
        for round in 0..<200 {
            try arena.mutate { mc, editor in
                var line = editor.first
                for _ in 0..<(round % 50) { line = line?.value.next }
                guard let old = line else { return }
                let replacement = try mc.allocate(Line(text: "edited in round \(round)", prev: old.value.prev, next: old.value.next))
                if let p = old.value.prev { p.write(mc).value.next = replacement } else { editor.first = replacement }
                if let n = old.value.next { n.write(mc).value.prev = replacement }
                for i in 0..<500 { _ = try mc.allocate(Line(text: "scratch \(i)", prev: nil, next: nil)) }
            }
            arena.collectDebt()
            peak = max(peak, arena.metrics.heapBytes)
        }
        let m = arena.metrics
        print("edited:     \(m.cyclesCompleted) incremental cycles, \(m.freedObjects) objects freed, peak \(peak / 1024) KiB, now \(m.heapBytes / 1024) KiB")
        print("pauses:     longest collector call \(m.maxPauseNanoseconds / 1000) µs")

        // 3. The weak cache: cut the document after 5,000 lines; cached lines past it die.
        let lastKept = arena.mutate { mc, editor -> DynamicRoot<Line> in
            var line = editor.first!
            for _ in 0..<4999 { line = line.value.next! }
            line.write(mc).value.next = nil
            // Ask for a finalizer on the first line we are about to lose.
            let cut = editor.cache[5]
            editor.closing.append(cut)
            return mc.stash(line)   // a dynamic root survives outside mutate
        }
        arena.collectAll()
        arena.mutate { mc, editor in
            // Resurrection kept line 5000 and everything it reaches (lines 5001... too).
            for line in editor.finalized { print("finalizer:  \"\(line.value.text)\" (resurrected, next=\(line.value.next?.value.text ?? "-"))") }
            editor.finalized.removeAll()
            print("stashed:    \"\(mc.fetch(lastKept).value.text)\"")
        }
        arena.collectAll()
        let alive = arena.mutate { mc, editor in editor.cache.map { $0.upgrade(mc) != nil } }
        print("weak cache: \(alive.map { $0 ? "alive" : "dead" }.joined(separator: " "))")

        // 4. A memory limit turns runaway allocation into a recoverable error.
        arena.memoryLimit = arena.metrics.liveBytes + 64 * 1024
        let outcome = arena.mutate { mc, editor -> String in
            var count = 0
            do {
                while true {
                    editor.cache.append(try mc.allocate(Line(text: "x", prev: nil, next: nil)).downgrade())
                    count += 1
                }
            } catch let error as GCAllocationError {
                return "stopped after \(count) allocations: \(error)"
            } catch {
                return "unexpected \(error)"
            }
        }
        print("limit:      \(outcome)")
        arena.memoryLimit = nil
        arena.collectAll()
        print("final:      \(arena.metrics.objectCount) objects, \(arena.metrics.heapBytes / 1024) KiB, heap verified: \(arena.verifyHeap().isValid)")
    }
}
