import Foundation

/// The service agents' display names (`--agents PATH`): CSV with a header row and the
/// columns `id` and `name`; other columns are ignored. Without it an agent's id is the name.
public struct AgentDirectory: Sendable, Equatable {
    public let names: [String: String]

    public init(names: [String: String] = [:]) { self.names = names }

    /// Parses the export; an error names file and line.
    public static func parse(csv text: String, file: String) throws(AgentDirectoryError) -> AgentDirectory {
        let rows = CSVReader.numberedRows(text)
        guard let header = rows.first?.row.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }),
              let idColumn = header.firstIndex(of: "id"), let nameColumn = header.firstIndex(of: "name") else {
            throw AgentDirectoryError(message: "\(file):1: the agent directory needs a header row with the columns id and name")
        }
        var names: [String: String] = [:]
        for (line, row) in rows.dropFirst() where !(row.count == 1 && row[0].isEmpty) {
            guard row.count > max(idColumn, nameColumn) else {
                throw AgentDirectoryError(message: "\(file):\(line): too few columns")
            }
            let id = row[idColumn].trimmingCharacters(in: .whitespaces)
            guard CustomerID.isValid(id) else {
                throw AgentDirectoryError(message: "\(file):\(line): agent id '\(TerminalText.visible(id))' is not valid (letters, digits, - and _)")
            }
            let name = row[nameColumn].trimmingCharacters(in: .whitespaces)
            names[id] = name.isEmpty ? id : name
        }
        return AgentDirectory(names: names)
    }
}

public struct AgentDirectoryError: Error, Equatable {
    public let message: String
}
