// expected-error: requires that 'Mutation' conform to 'Escapable'
import GCArena

func escape(_ arena: Arena<Int>) {
    let leaked = arena.mutate { mc, _ -> Mutation in return mc }
    _ = leaked
}
