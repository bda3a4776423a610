// expected-error: requires that 'Mutation' conform to 'Escapable'
import GCArena

func escape(_ arena: Arena<Int>) {
    arena.mutate { mc, _ in
        let contexts = [mc]
        _ = contexts
    }
}
