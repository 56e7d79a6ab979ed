import TreueCore

/// A line that passed validation, or the reason it did not.
public enum ChatInput: Sendable, Equatable {
    case line(String)
    case rejected(ErrorCode, detail: String)
}
