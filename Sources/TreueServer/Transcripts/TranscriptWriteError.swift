/// Transcript records could not be stored; the message says why for the operator's log.
public struct TranscriptWriteError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
