import ArgumentParser
import Foundation
import TreueCore

/// Where the knowledge base and customer directory are; shared by every command.
struct KnowledgeBaseOptions: ParsableArguments {
    @Option(help: "The knowledge base folder.")
    var intents = "Intents"

    @Option(help: "The customer directory (CSV export from the CRM).")
    var customers = "Customers/demo.csv"

    /// Loads the knowledge base or fails with every error found.
    func loadKnowledgeBase() throws -> (KnowledgeBase, [Diagnostic]) {
        let (kb, diagnostics) = KnowledgeBase.load(directory: intents)
        guard let kb else {
            throw ValidationError("the knowledge base in '\(intents)' has errors:\n"
                + diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n"))
        }
        return (kb, diagnostics)
    }

    func loadDirectory(phases: [String]) throws -> CustomerDirectory {
        do {
            let directory = try CustomerDirectory.load(path: customers, phases: phases)
            for warning in directory.warnings {
                FileHandle.standardError.write(Data((warning.description + "\n").utf8))
            }
            return directory
        } catch {
            throw ValidationError(error.message)
        }
    }
}
