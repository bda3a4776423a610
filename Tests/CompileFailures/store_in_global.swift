// expected-error: lifetime-dependent variable 'mc' escapes its scope
import GCArena

nonisolated(unsafe) var saved: Mutation? = nil

func escape(_ arena: Arena<Int>) {
    arena.mutate { mc, _ in saved = mc }
}
