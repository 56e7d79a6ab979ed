/// Makes text safe to print to a terminal: every character that a terminal would act on
/// instead of showing (C0 and C1 controls such as ESC, which starts `ESC[2J`, OSC 0 window
/// titles, OSC 8 hyperlinks and OSC 52 clipboard writes), or that hides or reorders text
/// (bidi controls, zero-width and other invisible characters, tag characters, private
/// use), is shown as a visible escape like `\u{1B}`. Everything Treue prints from stored
/// or received text goes through here: `treue transcript`, `treue review` (text and CSV),
/// `treue chat`.
public enum TerminalText {
    /// The text with every unsafe character replaced by `\u{HEX}`. `keepingNewlines`
    /// leaves LF alone for callers that lay out lines themselves.
    public static func visible(_ text: String, keepingNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isUnsafe($0) && !(keepingNewlines && $0 == "\n") }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar), !(keepingNewlines && scalar == "\n") {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// True for characters that must not reach a terminal as they are.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        isControl(scalar) || isInvisible(scalar) || isPrivateUse(scalar)
    }

    /// C0 controls (tab and LF included), DEL, C1 controls.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Characters that take no space or reorder text, so what is shown differs from
    /// what is stored: bidi marks, embeddings, overrides and isolates; zero-width space,
    /// joiners, word joiner and invisible operators; BOM; soft hyphen; Mongolian vowel
    /// separator; combining grapheme joiner; line and paragraph separators; tag characters.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00AD, 0x034F, 0x061C, 0x180E, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x2066...0x206F, 0xFEFF,
             0xE0000...0xE007F:
            return true
        default:
            return false
        }
    }

    /// Private-use characters render as whatever a font put there (or as nothing).
    public static func isPrivateUse(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0xE000...0xF8FF, 0xF0000...0xFFFFD, 0x100000...0x10FFFD: true
        default: false
        }
    }
}
