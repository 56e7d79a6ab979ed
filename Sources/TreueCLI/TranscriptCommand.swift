import ArgumentParser
import TreueCore

struct TranscriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcript",
        abstract: "Print one conversation as a readable dialogue with timestamps, intents and phases.",
        discussion: "Searches every *.jsonl file in the directories (default: Transcripts) for the session id."
    )

    @Argument(help: "The session id (32 hex digits, as in the transcript's \"session\" field).")
    var session: String

    @Option(name: .customLong("dir"), help: "A transcript directory or file; repeat for several. Default: Transcripts.")
    var directories: [String] = []

    func validate() throws {
        if session.isEmpty || session.contains(where: { $0.isWhitespace || $0 == "\"" }) {
            throw ValidationError("'\(session)' is not a session id")
        }
    }

    func run() throws {
        let reader = TranscriptReader(paths: directories.isEmpty ? ["Transcripts"] : directories)
        let dialogue: TranscriptDialogue
        do {
            dialogue = try TranscriptDialogue.load(session: session, reader: reader)
        } catch let failure as TranscriptReader.Failure {
            throw CommandFailure.transcriptsUnreadable(failure.description)
        } catch let failure as TranscriptDialogue.Failure {
            throw CommandFailure.nothingToShow(failure.description)
        }
        var out = StandardOutput()
        out.write(dialogue.render())
        out.flush()
    }
}
