// `Collect` conformances for standard library types.

extension Bool: CollectLeaf {}
extension Int: CollectLeaf {}
extension Int8: CollectLeaf {}
extension Int16: CollectLeaf {}
extension Int32: CollectLeaf {}
extension Int64: CollectLeaf {}
extension UInt: CollectLeaf {}
extension UInt8: CollectLeaf {}
extension UInt16: CollectLeaf {}
extension UInt32: CollectLeaf {}
extension UInt64: CollectLeaf {}
extension Double: CollectLeaf {}
extension Float: CollectLeaf {}
extension String: CollectLeaf {}
extension Character: CollectLeaf {}
extension Substring: CollectLeaf {}

extension Optional: Collect where Wrapped: Collect {
    @inlinable public static var needsTrace: Bool { Wrapped.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) {
        if let value = self { tracer.trace(value) }
    }
}

extension Array: Collect where Element: Collect {
    @inlinable public static var needsTrace: Bool { Element.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) {
        guard Element.needsTrace else { return }
        for element in self { element.trace(&tracer) }
    }
}

extension ContiguousArray: Collect where Element: Collect {
    @inlinable public static var needsTrace: Bool { Element.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) {
        guard Element.needsTrace else { return }
        for element in self { element.trace(&tracer) }
    }
}

extension Set: Collect where Element: Collect {
    @inlinable public static var needsTrace: Bool { Element.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) {
        guard Element.needsTrace else { return }
        for element in self { element.trace(&tracer) }
    }
}

extension Dictionary: Collect where Key: Collect, Value: Collect {
    @inlinable public static var needsTrace: Bool { Key.needsTrace || Value.needsTrace }
    @inlinable public func trace(_ tracer: inout Tracer) {
        for (key, value) in self {
            tracer.trace(key)
            tracer.trace(value)
        }
    }
}
