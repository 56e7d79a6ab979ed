import ArgumentParser
import Foundation
import TreueCore
import TreueServer

/// Where the knowledge base and customer directory are; shared by the commands that read
/// them (`serve` has its own flags with the same names and defaults).
struct KnowledgeBaseOptions: ParsableArguments {
    @Option(help: "The knowledge base folder.")
    var intents = ServerConfiguration.defaults.intents

    @Option(help: "The customer directory (CSV export from the CRM).")
    var customers = ServerConfiguration.defaults.customers

    /// Loads the knowledge base or fails with every error found.
    func loadKnowledgeBase() throws(CommandFailure) -> (KnowledgeBase, [Diagnostic]) {
        let (kb, diagnostics) = KnowledgeBase.load(directory: intents)
        guard let kb else { throw .knowledgeBase(path: intents, errors: diagnostics.filter { $0.severity == .error }) }
        return (kb, diagnostics)
    }

    func loadDirectory(phases: [String]) throws(CommandFailure) -> CustomerDirectory {
        do {
            let directory = try CustomerDirectory.load(path: customers, phases: phases)
            for warning in directory.warnings {
                FileHandle.standardError.write(Data((warning.description + "\n").utf8))
            }
            return directory
        } catch {
            throw .customers(error)
        }
    }
}
