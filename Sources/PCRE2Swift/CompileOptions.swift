import CPCRE2

/// Compile-time options. The default is what chat text needs: UTF with Unicode properties
/// (so `\b`, `\w` and case folding work for umlauts) and caseless.
public struct CompileOptions: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let caseless = CompileOptions(rawValue: PCRE2_CASELESS)
    public static let utf = CompileOptions(rawValue: PCRE2_UTF)
    public static let ucp = CompileOptions(rawValue: PCRE2_UCP)
    public static let extended = CompileOptions(rawValue: PCRE2_EXTENDED)
    /// Lets the matcher accept invalid UTF-8 subjects instead of rejecting them.
    public static let matchInvalidUTF = CompileOptions(rawValue: PCRE2_MATCH_INVALID_UTF)

    public static let chat: CompileOptions = [.utf, .ucp, .caseless]
}
