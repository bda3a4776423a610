// expected-error: lifetime-dependent variable 'fc' escapes its scope
import GCArena

nonisolated(unsafe) var saved: GCFinalization? = nil

func escape(_ arena: Arena<Int>) {
    arena.finalizationHook = { fc, _ in saved = fc }
}
