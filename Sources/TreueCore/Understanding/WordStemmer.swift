/// A light stemmer for folded German and English words (umlauts already spelled out).
///
/// German follows CISTEM (Weissweiler and Fraser, 2017): `sch`, `ei` and `ie` are held as
/// one letter, then `em`, `er`, `nd` and `t`, `e`, `s`, `n` are stripped from the end.
/// English gets the common inflections (`-ies`, `-ing`, `-ed`, `-s`) first. Messages and
/// examples pass through the same function, so a crude stem still meets its own kind.
public enum WordStemmer {
    public static func stem(_ word: String) -> String {
        var letters = Array(word.unicodeScalars)
        guard letters.count > 3 else { return word }
        // English inflections, only on words long enough to keep a root.
        if letters.count > 5, letters.suffix(3).elementsEqual("ing".unicodeScalars) { letters.removeLast(3) }
        else if letters.count > 4, letters.suffix(3).elementsEqual("ies".unicodeScalars) { letters.removeLast(3); letters.append("y") }
        else if letters.count > 4, letters.suffix(2).elementsEqual("ed".unicodeScalars) { letters.removeLast(2) }
        // CISTEM on what remains.
        if letters.count > 5, letters.prefix(2).elementsEqual("ge".unicodeScalars) { letters.removeFirst(2) }
        var coded: [Unicode.Scalar] = []
        var index = 0
        while index < letters.count {
            let rest = letters[index...]
            if rest.starts(with: "sch".unicodeScalars) { coded.append("$"); index += 3; continue }
            if rest.starts(with: "ei".unicodeScalars) { coded.append("%"); index += 2; continue }
            if rest.starts(with: "ie".unicodeScalars) { coded.append("&"); index += 2; continue }
            if let last = coded.last, last == letters[index] { coded.append("*"); index += 1; continue }
            coded.append(letters[index])
            index += 1
        }
        while coded.count > 3 {
            if coded.count > 5, let two = Optional(String(String.UnicodeScalarView(coded.suffix(2)))), ["em", "er", "nd"].contains(two) {
                coded.removeLast(2)
            } else if let last = coded.last, ["e", "s", "n", "t"].contains(last) {
                coded.removeLast()
            } else {
                break
            }
        }
        var result = String.UnicodeScalarView()
        for (position, scalar) in coded.enumerated() {
            switch scalar {
            case "$": result.append(contentsOf: "sch".unicodeScalars)
            case "%": result.append(contentsOf: "ei".unicodeScalars)
            case "&": result.append(contentsOf: "ie".unicodeScalars)
            case "*": result.append(position > 0 ? result.last! : scalar)
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}
