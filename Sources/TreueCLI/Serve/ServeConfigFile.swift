import ArgumentParser
import Foundation
import TreueServer
import Yams

/// Reads `treue serve --config FILE`: a YAML map whose keys are the long flag names
/// (`port: 4242`, `trusted-proxy: [10.0.0.5]`, `proxy-protocol: true`). Each entry is
/// parsed by the flags themselves, so the file knows exactly the flags' names, types and
/// checks, and a bad entry is reported at its line.
enum ServeConfigFile {
    static func load(path: String) throws(CommandFailure) -> ServeSettings {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .unreadable(what: "config file", path: path, reason: FileFailure.current(path: path))
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw .configFile(path: path, line: error.position.line, message: error.position.problem)
        } catch {
            throw .configFile(path: path, line: 1, message: "\(error)")
        }
        guard let root else { return try parse([], path: path, line: 1) }
        guard case let .mapping(map) = root else {
            throw .configFile(path: path, line: root.mark?.line ?? 1, message: "the file must be a map of flag names to values")
        }
        var arguments: [String] = []
        for (keyNode, value) in map {
            let line = keyNode.mark?.line ?? 1
            guard let key = keyNode.string, !key.isEmpty, key.first != "-", !["help", "config"].contains(key) else {
                throw .configFile(path: path, line: line, message: "'\(keyNode.string ?? "?")' is not a setting (use the flag names without --)")
            }
            let entry = try self.arguments(key: key, value: value, path: path)
            _ = try parse(entry, path: path, line: value.mark?.line ?? line)
            arguments += entry
        }
        return try parse(arguments, path: path, line: 1)
    }

    /// `key: value` as the flags it stands for.
    private static func arguments(key: String, value: Node, path: String) throws(CommandFailure) -> [String] {
        switch value {
        case let .scalar(scalar):
            // A YAML boolean switches a flag on or off (`proxy-protocol: false`).
            if let flag = value.bool, scalar.style == .plain { return [flag ? "--\(key)" : "--no-\(key)"] }
            return ["--\(key)", scalar.string]
        case let .sequence(items):
            var result: [String] = []
            for item in items {
                guard let text = item.string else {
                    throw .configFile(path: path, line: item.mark?.line ?? 1, message: "'\(key)' takes a list of texts")
                }
                result += ["--\(key)", text]
            }
            return result
        default:
            throw .configFile(path: path, line: value.mark?.line ?? 1, message: "'\(key)' takes a value or a list, not a map")
        }
    }

    private static func parse(_ arguments: [String], path: String, line: Int) throws(CommandFailure) -> ServeSettings {
        do {
            return try ServeSettings.parse(arguments)
        } catch {
            let message = ServeSettings.message(for: error).replacingOccurrences(of: "'--", with: "'")
                .replacingOccurrences(of: "Unknown option", with: "unknown setting")
            throw .configFile(path: path, line: line, message: message)
        }
    }
}

private extension YamlError {
    var position: (line: Int, problem: String) {
        switch self {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _): (mark.line, problem)
        default: (1, "\(self)")
        }
    }
}
