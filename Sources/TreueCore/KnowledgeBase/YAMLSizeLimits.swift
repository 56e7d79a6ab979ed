import Yams

/// Bounds what one YAML file may expand to. Yams resolves an alias (`*examples`) to the
/// anchored node itself, so a 2,000-entry list shared by many intents costs nothing to
/// parse but is then checked and compiled once per reference: a few kilobytes of YAML
/// took 1 GB in `treue check`. The tree is walked once, stopping at the first limit hit;
/// a node reached again (the same place in the file, and the same kind of node: a block
/// mapping starts where its first key does) came through an alias.
public struct YAMLSizeLimits: Sendable {
    /// Nodes in the tree with every alias expanded.
    public var maxNodes: Int
    /// Nodes reached through aliases (a node counted again for each reference).
    public var maxAliasedNodes: Int

    public init(maxNodes: Int = 200_000, maxAliasedNodes: Int = 5_000) {
        self.maxNodes = maxNodes
        self.maxAliasedNodes = maxAliasedNodes
    }

    public static let `default` = YAMLSizeLimits()

    /// Composes `yaml` and checks it (for tests and tools).
    public func check(yaml: String, file: String) -> Diagnostic? {
        guard let root = try? Yams.compose(yaml: yaml, .basic) else { return nil }
        return check(root, file: file)
    }

    /// A diagnostic when `root` is over a limit, nil when it is within them.
    func check(_ root: Node, file: String) -> Diagnostic? {
        // A place packed in one word: the walk visits every node of the file.
        var seen = Set<UInt64>(minimumCapacity: 1024)
        var nodes = 0
        var aliased = 0
        var stack = [root]
        while let node = stack.popLast() {
            nodes += 1
            let mark = node.mark
            let kind = switch node {
            case .mapping: 0
            case .sequence: 1
            case .scalar, .alias: 2
            }
            if let mark, !seen.insert(UInt64(truncatingIfNeeded: mark.line) << 34 | UInt64(truncatingIfNeeded: mark.column) << 2 | UInt64(kind)).inserted {
                aliased += 1
            }
            var location: SourceLocation { SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1) }
            if aliased > maxAliasedNodes {
                return Diagnostic(.error, "yaml", "aliases (*name) expand to more than \(maxAliasedNodes) nodes; "
                                  + "write the shared entries out or use a vocabulary entry instead", at: location)
            }
            if nodes > maxNodes {
                return Diagnostic(.error, "yaml", "the file has more than \(maxNodes) nodes; split it", at: location)
            }
            switch node {
            case let .mapping(mapping):
                for (key, value) in mapping { stack.append(key); stack.append(value) }
            case let .sequence(sequence):
                stack.append(contentsOf: sequence)
            case .scalar, .alias:
                break
            }
        }
        return nil
    }
}
