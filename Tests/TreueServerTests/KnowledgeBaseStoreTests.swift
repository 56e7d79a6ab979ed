import Foundation
import Logging
import Testing
import TreueCore
@testable import TreueServer

/// A reload swaps in a new knowledge base only when it passes every check; a broken edit
/// keeps the one in service.
struct KnowledgeBaseStoreTests {
    let logger: Logger = {
        var logger = Logger(label: "treue-test")
        logger.logLevel = .critical
        return logger
    }()

    func copyOfShippedIntents() throws -> String {
        let directory = ServerTestSupport.temporaryDirectory("intents")
        try FileManager.default.removeItem(atPath: directory)
        try FileManager.default.copyItem(atPath: ServerTestSupport.intents, toPath: directory)
        return directory
    }

    func customers(_ kb: KnowledgeBase) throws -> CustomerDirectory {
        try CustomerDirectory.load(path: ServerTestSupport.customers, phases: kb.phases)
    }

    @Test func aBrokenPatternKeepsTheOldKnowledgeBase() throws {
        let directory = try copyOfShippedIntents()
        let prometheus = PrometheusMetrics()
        let kb = ServerTestSupport.knowledgeBase
        let store = KnowledgeBaseStore(kb, directory: directory, metrics: prometheus.metrics)
        let file = directory + "/conversation.yaml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        // An unbalanced parenthesis added to the first German pattern list.
        let anchor = "    patterns:\n      de:\n"
        let range = try #require(text.range(of: anchor))
        let broken = text.replacingCharacters(in: range, with: anchor + "        - '(unclosed'\n")
        try broken.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(!store.reload(customers: try customers(kb), logger: logger))
        #expect(store.knowledgeBase === kb)
        let text2 = String(decoding: prometheus.exposition(), as: UTF8.self)
        #expect(text2.contains(#"treue_knowledge_base_reloads_total{result="failure"} 1"#))
    }

    @Test func aGoodEditGoesIntoServiceWhole() throws {
        let directory = try copyOfShippedIntents()
        let prometheus = PrometheusMetrics()
        let kb = ServerTestSupport.knowledgeBase
        let store = KnowledgeBaseStore(kb, directory: directory, metrics: prometheus.metrics)
        #expect(store.reload(customers: try customers(kb), logger: logger))
        #expect(store.knowledgeBase !== kb)
        #expect(store.knowledgeBase.intents.count == kb.intents.count)
        let text = String(decoding: prometheus.exposition(), as: UTF8.self)
        #expect(text.contains(#"treue_knowledge_base_reloads_total{result="success"} 1"#))
        #expect(text.contains("treue_knowledge_base_intents \(kb.intents.count)"))
    }

    @Test func aFailingConversationTestKeepsTheOldKnowledgeBase() throws {
        let directory = try copyOfShippedIntents()
        let kb = ServerTestSupport.knowledgeBase
        let store = KnowledgeBaseStore(kb, directory: directory)
        let tests = directory + "/tests"
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: tests).sorted().first { $0.hasSuffix(".yaml") })
        let text = try String(contentsOfFile: tests + "/" + file, encoding: .utf8)
        // Every expected intent id replaced by one that does not exist: the tests must fail.
        try text.replacingOccurrences(of: "intent: ", with: "intent: no_such_intent_").write(toFile: tests + "/" + file, atomically: true, encoding: .utf8)
        #expect(!store.reload(customers: try customers(kb), logger: logger))
        #expect(store.knowledgeBase === kb)
    }
}
