import Foundation

/// Fills `{field}`, `{field|default}` and optional `[[ … ]]` segments. A field nothing
/// provides is never shown as `{field}`: rendering fails and the caller picks another
/// variant.
public enum TemplateRenderer {
    /// The rendered text, or nil when a required field is unknown.
    public static func render(_ template: String, fields: (String) -> String?) -> String? {
        var output = ""
        var rest = Substring(template)
        while let open = rest.range(of: "[[") {
            guard let close = rest[open.upperBound...].range(of: "]]") else { break }
            guard let before = renderFields(rest[..<open.lowerBound], fields: fields) else { return nil }
            output += before
            if let inner = renderFields(rest[open.upperBound..<close.lowerBound], fields: fields) { output += inner }
            rest = rest[close.upperBound...]
        }
        guard let tail = renderFields(rest, fields: fields) else { return nil }
        var text = tidy(output + tail)
        // "[[{name}, ]]sie haben …" must still start a sentence when the segment is dropped.
        if template.hasPrefix("[["), let first = text.first, first.isLowercase {
            text = first.uppercased() + text.dropFirst()
        }
        return text
    }

    /// The field names a template refers to (for `treue check`).
    public static func fieldNames(in template: String) -> [(name: String, hasDefault: Bool, optional: Bool)] {
        var names: [(String, Bool, Bool)] = []
        var optional = false
        var index = template.startIndex
        while index < template.endIndex {
            if template[index...].hasPrefix("[[") { optional = true; index = template.index(index, offsetBy: 2); continue }
            if template[index...].hasPrefix("]]") { optional = false; index = template.index(index, offsetBy: 2); continue }
            if template[index] == "{", let close = template[index...].firstIndex(of: "}") {
                let body = template[template.index(after: index)..<close]
                let parts = body.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                names.append((String(parts[0]), parts.count > 1, optional))
                index = template.index(after: close)
                continue
            }
            index = template.index(after: index)
        }
        return names
    }

    private static func renderFields(_ text: Substring, fields: (String) -> String?) -> String? {
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "{", let close = text[index...].firstIndex(of: "}") else {
                output.append(character)
                index = text.index(after: index)
                continue
            }
            let body = text[text.index(after: index)..<close]
            let parts = body.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).trimmingCharacters(in: " ")
            if let value = fields(name), !value.isEmpty {
                output += value
            } else if parts.count > 1 {
                output += parts[1]
            } else {
                return nil
            }
            index = text.index(after: close)
        }
        return output
    }

    /// Removes the doubled or dangling spaces a dropped field leaves behind.
    private static func tidy(_ text: String) -> String {
        var result = ""
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
        return result.trimmingCharacters(in: " ")
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> String {
        var slice = Substring(self)
        while slice.first == set { slice.removeFirst() }
        while slice.last == set { slice.removeLast() }
        return String(slice)
    }
}
