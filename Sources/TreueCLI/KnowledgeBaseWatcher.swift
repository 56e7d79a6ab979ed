import Foundation
import NIOConcurrencyHelpers

/// Notices edits under the knowledge-base folder by file names, sizes and modification
/// times, so an author's save reloads the server without a signal.
final class KnowledgeBaseWatcher: Sendable {
    private let directory: String
    private let lastSeen: NIOLockedValueBox<[String: String]>

    init(directory: String) {
        self.directory = directory
        lastSeen = NIOLockedValueBox([:])
        lastSeen.withLockedValue { $0 = fingerprint() }
    }

    func changed() -> Bool {
        let now = fingerprint()
        return lastSeen.withLockedValue { seen in
            defer { seen = now }
            return seen != now
        }
    }

    private func fingerprint() -> [String: String] {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [:] }
        var result: [String: String] = [:]
        for file in files where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
            let path = (directory as NSString).appendingPathComponent(file)
            if let attributes = try? FileManager.default.attributesOfItem(atPath: path) {
                result[file] = "\(attributes[.size] ?? 0)-\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
            }
        }
        return result
    }
}
