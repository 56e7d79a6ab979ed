import NIOCore

/// What the line decoder hands on: a complete line, or word that one was too long.
public enum LineFrame: Sendable, Equatable {
    /// Without the LF (and without a CR before it).
    case line(ByteBuffer)
    /// A line passed the limit; the rest of it, up to the next LF, is being discarded.
    case tooLong(limit: Int)
}
