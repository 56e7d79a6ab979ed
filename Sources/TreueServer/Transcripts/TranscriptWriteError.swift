/// Transcript records could not be stored. The cases tell an operator what to do (create
/// the folder, fix permissions, free disk space); the description names what and where.
public enum TranscriptWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The transcript folder cannot be created, or is not a writable folder.
    case directory(path: String, FileFailure)
    /// Anyone could plant or delete files there.
    case worldWritable(path: String)
    /// A day file cannot be opened.
    case open(path: String, FileFailure)
    /// Writing or syncing records failed (disk full, I/O error).
    case write(path: String, FileFailure)
    case sync(path: String, FileFailure)
    /// The writer was closed (the server is stopping).
    case closed

    public var description: String {
        switch self {
        case let .directory(path, failure): "transcript directory '\(path)' is not writable: \(failure)"
        case let .worldWritable(path): "transcript directory '\(path)' is world-writable; run: chmod o-w '\(path)' (or use a directory of its own)"
        case let .open(path, failure): "cannot open transcript '\(path)': \(failure)"
        case let .write(path, failure): "writing transcript '\(path)' failed: \(failure)"
        case let .sync(path, failure): "fsync of transcript '\(path)' failed: \(failure)"
        case .closed: "transcript writer is closed"
        }
    }

    /// Kept for callers that log a message.
    public var message: String { description }

    /// The underlying reason, when there is one.
    public var failure: FileFailure? {
        switch self {
        case let .directory(_, f), let .open(_, f), let .write(_, f), let .sync(_, f): f
        case .closed, .worldWritable: nil
        }
    }
}
