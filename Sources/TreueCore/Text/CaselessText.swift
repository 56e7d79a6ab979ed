/// Lower case as PCRE2's caseless matching sees it, for the literal index and prefilter.
///
/// `lowercased()` leaves some letters alone that PCRE2 treats as the same letter in any
/// case: `ſ` is an `s`, `ς` a `σ`, `µ` a `μ`. Literals and messages both go through this,
/// so a message that PCRE2 would match is never ruled out for spelling one of them.
/// Only letters map to letters, so words stay words.
enum CaselessText {
    static func lowercased(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendLowercased(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` lower-cased, its UTF-8 appended to `bytes`. Scalar by scalar, as
    /// `lowercased()` does, but over the bytes: ASCII without a property lookup, and a
    /// scalar that lower case leaves alone (a quote, an emoji, an `ä`) copied as it is,
    /// since building its lower-case mapping as a string cost three hundred instructions.
    static func appendLowercased(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            bytes.reserveCapacity(bytes.count + utf8.count)
            var index = 0
            while index < utf8.count {
                let lead = utf8[index]
                if lead < 0x80 {
                    bytes.append(lead >= 65 && lead <= 90 ? lead | 0x20 : lead)
                    index += 1
                    continue
                }
                // Valid UTF-8 (a String's own storage): a character starts at every step.
                guard let decoded = UTF8Scalar.decode(utf8, at: index), let scalar = Unicode.Scalar(decoded.value) else {
                    bytes.append(lead)
                    index += 1
                    continue
                }
                let (value, length) = decoded
                if let same = sameLetter[value] {
                    append(Unicode.Scalar(same)!, to: &bytes)
                } else if scalar.properties.changesWhenLowercased {
                    for lower in scalar.properties.lowercaseMapping.unicodeScalars {
                        append(sameLetter[lower.value].flatMap(Unicode.Scalar.init) ?? lower, to: &bytes)
                    }
                } else {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[index..<index + length]))
                }
                index += length
            }
        }
    }

    private static func append(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        UTF8.encode(scalar) { bytes.append($0) }
    }

    /// PCRE2's caseless sets (pcre2_ucd.c) beyond what `lowercased()` already unifies.
    static let sameLetter: [UInt32: UInt32] = [
        0x017F: 0x0073,  // ſ → s
        0x00B5: 0x03BC,  // µ → μ
        0x03C2: 0x03C3,  // ς → σ
        0x03D0: 0x03B2,  // ϐ → β
        0x03D1: 0x03B8,  // ϑ → θ
        0x03D5: 0x03C6,  // ϕ → φ
        0x03D6: 0x03C0,  // ϖ → π
        0x03F0: 0x03BA,  // ϰ → κ
        0x03F1: 0x03C1,  // ϱ → ρ
        0x03F5: 0x03B5,  // ϵ → ε
        0x1FBE: 0x03B9,  // prosgegrammeni → ι
        0x1E9B: 0x1E61,  // ẛ → ṡ
        0x1C80: 0x0432, 0x1C81: 0x0434, 0x1C82: 0x043E, 0x1C83: 0x0441,  // Cyrillic rounded and tall forms
        0x1C84: 0x0442, 0x1C85: 0x0442, 0x1C86: 0x044A, 0x1C87: 0x0463, 0x1C88: 0xA64B,
    ]
}
