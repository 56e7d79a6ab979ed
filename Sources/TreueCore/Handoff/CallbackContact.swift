import Foundation

/// A way to call or write a customer back, as they typed it: an e-mail address or a phone
/// number, checked for shape (not for existence) before it is stored with a ticket.
public struct CallbackContact: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable { case email, phone }
    public let kind: Kind
    public let value: String

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 120 else { return nil }
        if Self.isEmail(trimmed) {
            kind = .email
            value = trimmed
            return
        }
        guard let phone = Self.phone(trimmed) else { return nil }
        kind = .phone
        value = phone
    }

    /// A line that was meant as a contact but is not a valid one: it has an `@` or five
    /// digits or more.
    public static func looksLikeAnAttempt(_ text: String) -> Bool {
        text.contains("@") || text.filter(\.isNumber).count >= 5
    }

    /// local@domain.tld: one @, no spaces, a dot in the domain, sane characters.
    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        let allowedLocal = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".!#$%&'*+/=?^_`{|}~-"))
        guard parts[0].unicodeScalars.allSatisfy(allowedLocal.contains), !parts[0].hasPrefix("."), !parts[0].hasSuffix(".") else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 }) else { return false }
        let allowedDomain = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-"))
        guard labels.allSatisfy({ $0.unicodeScalars.allSatisfy(allowedDomain.contains) && !$0.hasPrefix("-") && !$0.hasSuffix("-") }) else { return false }
        return (labels.last?.count ?? 0) >= 2 && labels.last?.allSatisfy(\.isLetter) == true
    }

    /// Digits with the usual separators (space, -, /, ., parentheses) and an optional
    /// leading + or 00: 7 to 15 digits (E.164). Returned with single spaces only.
    static func phone(_ text: String) -> String? {
        let allowed = CharacterSet(charactersIn: "0123456789+ -/().")
        guard text.unicodeScalars.allSatisfy(allowed.contains) else { return nil }
        guard !text.dropFirst().contains("+") else { return nil }
        let digits = text.filter(\.isNumber)
        guard (7...15).contains(digits.count) else { return nil }
        return text.split(separator: " ").joined(separator: " ")
    }
}
