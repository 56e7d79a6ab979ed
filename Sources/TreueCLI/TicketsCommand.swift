import ArgumentParser
import Foundation
import TreueCore

/// `treue tickets`: the open handoff tickets with their callback contact, for a helpdesk.
struct TicketsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tickets",
        abstract: "List open handoff tickets (no agent took them in the chat) with the callback contact the customer left.",
        discussion: "Reads every *.jsonl file in the directories (default: Transcripts). docs/handoff.md explains the fields."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, csv, json
    }

    @Argument(help: "Transcript directories or files (default: Transcripts).")
    var directories: [String] = []

    @Option(help: "text, csv or json.")
    var format: Format = .text

    func run() throws {
        let reader = TranscriptReader(paths: directories.isEmpty ? ["Transcripts"] : directories)
        var list = TicketList()
        do {
            _ = try reader.forEach { list.add($0) }
        } catch let failure as TranscriptReader.Failure {
            throw CommandFailure.transcriptsUnreadable(failure.description)
        }
        let tickets = list.open
        var out = StandardOutput()
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            let data = (try? encoder.encode(tickets)) ?? Data("[]".utf8)
            out.write(String(decoding: data, as: UTF8.self) + "\n")
        case .csv:
            out.write(TicketList.csvColumns.joined(separator: ",") + "\r\n")
            for ticket in tickets {
                out.write(TicketList.csvRow(ticket).map(ReviewCSVRenderer.field).joined(separator: ",") + "\r\n")
            }
        case .text:
            if tickets.isEmpty { out.write("No open tickets.\n") }
            for t in tickets {
                let contact = t.contact.map { "\(t.contactKind ?? "contact") \($0)" } ?? t.status.replacingOccurrences(of: "_", with: " ")
                let who = t.customer.map { "customer \($0)" } ?? "anonymous"
                out.write(TerminalText.visible("\(t.ticket)  \(t.opened)  \(contact)  \(who)  \(t.lang ?? "?")  session \(t.session)") + "\n")
            }
        }
        out.flush()
    }
}
