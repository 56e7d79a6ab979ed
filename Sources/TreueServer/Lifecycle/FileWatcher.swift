import Foundation
import NIOConcurrencyHelpers

/// Notices edits by file names, sizes and modification times, so an author's save reloads
/// the server without a signal. Watches the knowledge-base folder, its `tests/` folder
/// (conversation tests gate a reload) and single files such as the customer directory.
public final class FileWatcher: Sendable {
    private let folders: [String]
    private let files: [String]
    private let lastSeen: NIOLockedValueBox<[String: String]>

    public init(folders: [String], files: [String]) {
        self.folders = folders
        self.files = files
        lastSeen = NIOLockedValueBox([:])
        lastSeen.withLockedValue { $0 = fingerprint() }
    }

    /// Whether anything changed since the last call (or since `init`).
    public func changed() -> Bool {
        let now = fingerprint()
        return lastSeen.withLockedValue { seen in
            defer { seen = now }
            return seen != now
        }
    }

    private func fingerprint() -> [String: String] {
        var result: [String: String] = [:]
        for folder in folders {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                let path = (folder as NSString).appendingPathComponent(name)
                result[path] = stamp(path)
            }
        }
        for file in files { result[file] = stamp(file) }
        return result
    }

    private func stamp(_ path: String) -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return "missing" }
        return "\(attributes[.size] ?? 0)-\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
    }
}
