import Foundation

/// Folds text so that the spellings customers type without a German keyboard meet the
/// patterns authors write with one: `zurück`, `zurueck` and `ZURÜCK` all become
/// `zurueck`/`ZURUECK`, and PCRE2's caseless matching does the rest. PCRE2 folds one
/// character to one character, so `ß`/`ss` cannot be left to it.
public enum TextFolder {
    /// Folds a customer message, keeping the way back to the original.
    public static func fold(_ text: String) -> FoldedText {
        var text = text
        // Every message passes here: its highest byte decides whether anything needs doing
        // (ASCII: nothing; below U+0300, which starts at lead byte 0xCC: no normalization,
        // every character is already composed).
        let highest = text.withUTF8 { $0.max() ?? 0 }
        if highest < 0x80 { return FoldedText(original: text, folded: text, originalOffsets: nil) }
        let original = highest >= 0xCC && mayNeedComposition(text) ? text.precomposedStringWithCanonicalMapping : text
        var contiguous = original
        return contiguous.withUTF8 { bytes in
            var folded: [UInt8] = []
            folded.reserveCapacity(bytes.count + 8)
            var offsets: [Int] = []
            offsets.reserveCapacity(bytes.count + 9)
            var changed = false
            var index = 0
            while index < bytes.count {
                let lead = bytes[index]
                if lead < 0x80 {
                    folded.append(lead)
                    offsets.append(index)
                    index += 1
                    continue
                }
                // A Swift string holds valid UTF-8, so a character always starts here.
                let (value, width) = UTF8Scalar.decode(bytes, at: index) ?? (0xFFFD, 1)
                if let replacement = Unicode.Scalar(value).flatMap(replacement(for:)) {
                    changed = true
                    for byte in replacement.utf8 {
                        folded.append(byte)
                        offsets.append(index)
                    }
                } else {
                    for offset in 0..<width {
                        folded.append(bytes[index + offset])
                        offsets.append(index + offset)
                    }
                }
                index += width
            }
            offsets.append(bytes.count)
            return FoldedText(original: original, folded: changed ? String(decoding: folded, as: UTF8.self) : original,
                              originalOffsets: changed ? offsets : nil)
        }
    }

    /// True when NFC could change the text: a combining mark, a Hangul vowel or final
    /// consonant, or one of the few characters NFC replaces outright (Ω, K, Å signs,
    /// compatibility ideographs). Emoji, typographic quotes and € are none of these, and
    /// Foundation's normalization was a fifth of the matching cost of messages that had them.
    static func mayNeedComposition(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            let value = scalar.value
            guard value >= 0x300 else { return false }
            if scalar.properties.canonicalCombiningClass != .notReordered { return true }
            switch value {
            case 0x300...0x36F, 0x340...0x344, 0x374, 0x37E, 0x387, 0x1161...0x1175, 0x11A8...0x11C2,
                 0x2000...0x2001, 0x2126, 0x212A...0x212B, 0x2329...0x232A, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
                return true
            default:
                return false
            }
        }
    }

    /// Folds a literal string (an example, a vocabulary word) the same way as messages.
    public static func foldLiteral(_ text: String) -> String { fold(text).folded }

    /// Folds a pattern's literal characters without changing its meaning: an umlaut
    /// followed by a quantifier becomes a group (`ü?` → `(?:ue)?`). Umlauts inside a
    /// character class have no two-letter form and are refused.
    public static func foldPattern(_ pattern: String) throws(PatternFoldError) -> String {
        // Every replacement is for a non-ASCII character.
        if pattern.utf8.allSatisfy({ $0 < 0x80 }) { return pattern }
        let scalars = Array(pattern.precomposedStringWithCanonicalMapping.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        var inClass = false
        var classStart = 0
        var byteOffset = 0
        var offsets: [Int] = []
        for scalar in scalars { offsets.append(byteOffset); byteOffset += UTF8.width(scalar) }

        func isQuantifier(_ position: Int) -> Bool {
            guard position < scalars.count else { return false }
            return "?*+{".unicodeScalars.contains(scalars[position])
        }
        func emit(_ scalar: Unicode.Scalar, at position: Int) throws(PatternFoldError) {
            guard let replacement = replacement(for: scalar) else { out.append(scalar); return }
            if inClass {
                throw PatternFoldError(offset: offsets[position], character: Character(scalar))
            }
            if isQuantifier(position + 1) {
                out.append(contentsOf: "(?:\(replacement))".unicodeScalars)
            } else {
                out.append(contentsOf: replacement.unicodeScalars)
            }
        }

        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\", index + 1 < scalars.count {
                let next = scalars[index + 1]
                if next == "Q" {
                    // \Q…\E is literal text: fold it as such.
                    out.append(contentsOf: "\\Q".unicodeScalars)
                    index += 2
                    while index < scalars.count {
                        if scalars[index] == "\\", index + 1 < scalars.count, scalars[index + 1] == "E" { break }
                        if let replacement = replacement(for: scalars[index]) {
                            out.append(contentsOf: replacement.unicodeScalars)
                        } else {
                            out.append(scalars[index])
                        }
                        index += 1
                    }
                    continue
                }
                if replacement(for: next) != nil {
                    try emit(next, at: index + 1)
                } else {
                    out.append(scalar)
                    out.append(next)
                }
                index += 2
                continue
            }
            if inClass {
                if scalar == "[", index + 1 < scalars.count, scalars[index + 1] == ":" {
                    // A POSIX class like [:alpha:] inside a class.
                    out.append(scalar)
                    index += 1
                    while index < scalars.count {
                        out.append(scalars[index])
                        if scalars[index] == "]" { break }
                        index += 1
                    }
                    index += 1
                    continue
                }
                if scalar == "]", index > classStart { inClass = false }
                try emit(scalar, at: index)
                index += 1
                continue
            }
            if scalar == "[" {
                inClass = true
                out.append(scalar)
                index += 1
                if index < scalars.count, scalars[index] == "^" { out.append(scalars[index]); index += 1 }
                // A `]` first in a class is a literal.
                classStart = index + 1
                continue
            }
            try emit(scalar, at: index)
            index += 1
        }
        return String(out)
    }

    /// Whether folding replaces this character (it never survives in folded text).
    public static func foldsAway(_ scalar: Unicode.Scalar) -> Bool { replacement(for: scalar) != nil }

    static func replacement(for scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0xE4: "ae"
        case 0xF6: "oe"
        case 0xFC: "ue"
        case 0xC4: "Ae"
        case 0xD6: "Oe"
        case 0xDC: "Ue"
        case 0xDF: "ss"
        case 0x1E9E: "SS"
        case 0x2018, 0x2019, 0x201A, 0x2032, 0x00B4: "'"
        case 0x201C, 0x201D, 0x201E, 0x00AB, 0x00BB: "\""
        // Invisible characters (zero-width space and joiners, word joiner, BOM, soft
        // hyphen, tag characters …) fold away, so "pa\u{200B}ket" meets "paket".
        case _ where TerminalText.isInvisible(scalar): ""
        default: nil
        }
    }
}

/// An umlaut inside a character class, which folding cannot express.
public struct PatternFoldError: Error, Sendable {
    public let offset: Int
    public let character: Character

    public var message: String {
        "'\(character)' inside a character class cannot match folded text; write (\(character)|…) instead (offset \(offset))"
    }
}
