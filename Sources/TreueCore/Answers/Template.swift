import Foundation

/// An answer template parsed once when the knowledge base loads: literal text, fields
/// (`{name}`, `{name|default}`) and optional segments (`[[ … ]]`, left out when a field
/// inside is unknown). Rendering is then plain concatenation.
public struct Template: Sendable {
    enum Segment: Sendable {
        case text(String)
        case field(name: String, fallback: String?)
        case optional([Segment])
    }

    let segments: [Segment]
    /// Whether the template opens with an optional segment, so the text must be made to
    /// start a sentence when that segment drops out.
    let startsOptional: Bool
    /// The bytes of the literal text: the rendered answer is made in one buffer of about this size.
    let literalBytes: Int

    /// Scans the UTF-8 bytes: every delimiter is ASCII, and a loop over characters cost more
    /// than the rest of loading an answer.
    public init(_ source: String) {
        let bytes = Array(source.utf8)
        var segments: [Segment] = []
        var optional: [Segment]?
        var runStart = 0
        var index = 0
        func add(_ segment: Segment) {
            if optional != nil { optional!.append(segment) } else { segments.append(segment) }
        }
        func flush() {
            if runStart < index { add(.text(String(decoding: bytes[runStart..<index], as: UTF8.self))) }
        }
        func opens(_ byte: UInt8, twiceAt at: Int) -> Bool {
            at + 1 < bytes.count && bytes[at] == byte && bytes[at + 1] == byte
        }
        while index < bytes.count {
            if optional == nil, opens(UInt8(ascii: "["), twiceAt: index),
               bytes[(index + 2)...].contains(UInt8(ascii: "]")) {
                flush()
                optional = []
                index += 2
                runStart = index
                continue
            }
            if optional != nil, opens(UInt8(ascii: "]"), twiceAt: index) {
                flush()
                segments.append(.optional(optional!))
                optional = nil
                index += 2
                runStart = index
                continue
            }
            if bytes[index] == UInt8(ascii: "{"), let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")) {
                flush()
                let body = bytes[(index + 1)..<close]
                let bar = body.firstIndex(of: UInt8(ascii: "|"))
                let name = String(decoding: body[..<(bar ?? close)], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                add(.field(name: name, fallback: bar.map { String(decoding: body[($0 + 1)...], as: UTF8.self) }))
                index = close + 1
                runStart = index
                continue
            }
            index += 1
        }
        flush()
        if let unfinished = optional { segments.append(.text("[[")); segments += unfinished }
        self.segments = segments
        startsOptional = source.hasPrefix("[[")
        literalBytes = bytes.count
    }

    /// The rendered text, or nil when a field outside an optional segment is unknown.
    public func render(_ fields: (String) -> String?) -> String? {
        var output = ""
        output.reserveCapacity(literalBytes + 64)
        var gaps = false
        for segment in segments {
            switch segment {
            case let .text(text):
                output += text
            case let .field(name, fallback):
                if let value = fields(name), !value.isEmpty { output += value } else if let fallback {
                    output += fallback
                    gaps = gaps || fallback.isEmpty
                } else {
                    return nil
                }
            case let .optional(inner):
                if let text = Self.renderOptional(inner, fields) { output += text } else { gaps = true }
            }
        }
        guard gaps else { return output }
        var text = Self.tidy(output)
        // "[[{name}, ]]sie haben …" must still start a sentence when the segment is dropped.
        if startsOptional, let first = text.first, first.isLowercase {
            text = first.uppercased() + text.dropFirst()
        }
        return text
    }

    private static func renderOptional(_ segments: [Segment], _ fields: (String) -> String?) -> String? {
        var output = ""
        for segment in segments {
            switch segment {
            case let .text(text): output += text
            case let .field(name, fallback):
                guard let value = fields(name).flatMap({ $0.isEmpty ? nil : $0 }) ?? fallback else { return nil }
                output += value
            case .optional: return nil
            }
        }
        return output
    }

    /// The fields the template refers to (for `treue check`).
    public var fields: [(name: String, hasDefault: Bool, optional: Bool)] {
        var result: [(String, Bool, Bool)] = []
        for segment in segments {
            switch segment {
            case let .field(name, fallback): result.append((name, fallback != nil, false))
            case let .optional(inner):
                for case let .field(name, fallback) in inner { result.append((name, fallback != nil, true)) }
            case .text: break
            }
        }
        return result
    }

    /// Removes the doubled or dangling spaces a dropped field leaves behind.
    static func tidy(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var lastWasSpace = false
        for character in text {
            if character == " " {
                if lastWasSpace { continue }
                lastWasSpace = true
            } else {
                if lastWasSpace, [",", ".", "!", "?"].contains(character), result.hasSuffix(" ") { result.removeLast() }
                lastWasSpace = false
            }
            result.append(character)
        }
        return result.trimmingCharacters(in: .whitespaces)
    }
}
