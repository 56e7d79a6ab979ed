import ArgumentParser
import TreueCore
import TreueServer

/// The transcripts a reading command (`review`, `suggest`, `replay`) goes through: the
/// folders given, or the server's default, within `--since`/`--until`.
enum TranscriptSelection {
    static func reader(directories: [String], since: String?, until: String?) throws -> TranscriptReader {
        let range: TranscriptReader.TimeRange
        do {
            range = try TranscriptReader.TimeRange(since: since, until: until)
        } catch {
            throw ValidationError(error.description)
        }
        if let lower = range.since, let upper = range.until, range.untilInclusive ? upper < lower : upper <= lower {
            throw ValidationError("--until is before --since")
        }
        return TranscriptReader(paths: directories.isEmpty ? [ServerConfiguration.defaults.transcripts] : directories, range: range)
    }
}
