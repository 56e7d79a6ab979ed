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

    public init(_ source: String) {
        var segments: [Segment] = []
        var optional: [Segment]?
        var text = ""
        var index = source.startIndex
        func flush() {
            guard !text.isEmpty else { return }
            if optional != nil { optional!.append(.text(text)) } else { segments.append(.text(text)) }
            text = ""
        }
        while index < source.endIndex {
            let rest = source[index...]
            if optional == nil, rest.hasPrefix("[["), rest.dropFirst(2).contains("]") {
                flush()
                optional = []
                index = source.index(index, offsetBy: 2)
                continue
            }
            if optional != nil, rest.hasPrefix("]]") {
                flush()
                segments.append(.optional(optional!))
                optional = nil
                index = source.index(index, offsetBy: 2)
                continue
            }
            if source[index] == "{", let close = rest.firstIndex(of: "}") {
                flush()
                let body = source[source.index(after: index)..<close]
                let parts = body.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                let field = Segment.field(name: String(parts[0]).trimmingCharacters(in: .whitespaces), fallback: parts.count > 1 ? String(parts[1]) : nil)
                if optional != nil { optional!.append(field) } else { segments.append(field) }
                index = source.index(after: close)
                continue
            }
            text.append(source[index])
            index = source.index(after: index)
        }
        flush()
        if let unfinished = optional { segments.append(.text("[[")); segments += unfinished }
        self.segments = segments
        startsOptional = source.hasPrefix("[[")
    }

    /// The rendered text, or nil when a field outside an optional segment is unknown.
    public func render(_ fields: (String) -> String?) -> String? {
        var output = ""
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
