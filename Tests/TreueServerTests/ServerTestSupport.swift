import Foundation
import Logging
import TreueCore
@testable import TreueServer

/// The shipped knowledge base and demo customers, loaded once from the repository, so the
/// server tests answer what a customer would really get.
enum ServerTestSupport {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let intents = root + "/Intents"
    static let customers = root + "/Customers/demo.csv"

    static let knowledgeBase: KnowledgeBase = {
        let (kb, diagnostics) = KnowledgeBase.load(directory: intents)
        guard let kb else { fatalError("shipped knowledge base has errors: \(diagnostics)") }
        return kb
    }()

    static func temporaryDirectory(_ name: String = "server") -> String {
        let path = NSTemporaryDirectory() + "treue-\(name)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Chat services over a fresh transcript folder.
    static func services(sync: TranscriptSyncPolicy = .never, metrics: ServerMetrics = .disabled, handoff: HandoffRegistry? = nil,
                         configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> ChatServices {
        var configuration = ServerConfiguration()
        configuration.transcripts = temporaryDirectory("transcripts")
        configuration.fsync = sync
        configure(&configuration)
        let kb = knowledgeBase
        let directory = try CustomerDirectory.load(path: customers, phases: kb.phases)
        let writer = try TranscriptWriter(configuration: .init(directory: configuration.transcripts, sync: sync), metrics: metrics)
        var logger = Logger(label: "treue-test")
        logger.logLevel = .critical
        return ChatServices(store: KnowledgeBaseStore(kb, directory: intents, metrics: metrics),
                            identity: IdentityStore(IdentityPolicy(directory: directory), path: customers),
                            writer: writer, redactor: try Redactor(), configuration: configuration, logger: logger, metrics: metrics,
                            handoff: handoff)
    }

    /// Every record in the transcript folder, parsed.
    static func records(in directory: String) -> [[String: Any]] {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var records: [[String: Any]] = []
        for file in files.sorted() where file.hasSuffix(".jsonl") {
            let text = (try? String(contentsOfFile: directory + "/" + file, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") {
                if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] { records.append(object) }
            }
        }
        return records
    }
}
