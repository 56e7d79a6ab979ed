import Foundation

extension StringProtocol {
    /// Whether the UTF-8 bytes contain `needle`'s bytes. For pattern syntax (`(*`, `\K`,
    /// `\Q`): `contains` compares characters, and on a 5,000-intent knowledge base its calls
    /// were a twelfth of the load's instructions.
    func containsBytes(_ needle: String) -> Bool {
        var needle = needle
        return needle.withUTF8 { wanted in
            let found = utf8.withContiguousStorageIfAvailable { text -> Bool in
                guard let first = wanted.first, text.count >= wanted.count else { return false }
                for start in 0...(text.count - wanted.count)
                where text[start] == first && memcmp(text.baseAddress! + start, wanted.baseAddress!, wanted.count) == 0 {
                    return true
                }
                return false
            }
            return found ?? String(self).containsBytes(String(decoding: wanted, as: UTF8.self))
        }
    }
}
