// expected-error: requires that 'GcWrite<GcLock<Int>>' conform to 'Escapable'
import GCArena

func escape(_ arena: Arena<Gc<GcLock<Int>>>) {
    let view = arena.mutate { mc, root -> GcWrite<GcLock<Int>> in return root.write(mc) }
    _ = view
}
