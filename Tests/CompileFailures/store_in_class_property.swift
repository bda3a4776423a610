// expected-error: escapes its scope
import GCArena

final class Holder {
    var mc: Mutation?
}
