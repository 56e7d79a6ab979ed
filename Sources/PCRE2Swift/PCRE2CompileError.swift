/// A pattern PCRE2 refused to compile, with PCRE2's own message and the offset in the
/// pattern where it gave up (in bytes, as PCRE2 counts).
public struct PCRE2CompileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let offset: Int
    public let code: Int32

    public var description: String { "\(message) at offset \(offset)" }
}
