// expected-error: lifetime-dependent variable 'mc' escapes its scope
import GCArena

func escape(_ arena: Arena<Int>) {
    var later: (() -> GCPhase)? = nil
    arena.mutate { mc, _ in later = { mc.phase } }
    _ = later
}
