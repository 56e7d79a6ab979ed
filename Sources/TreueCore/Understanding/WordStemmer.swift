/// A light stemmer for folded German and English words (umlauts already spelled out).
///
/// German follows CISTEM (Weissweiler and Fraser, 2017): `sch`, `ei` and `ie` are held as
/// one letter, then `em`, `er`, `nd` and `t`, `e`, `s`, `n` are stripped from the end.
/// English gets the common inflections (`-ies`, `-ing`, `-ed`, `-s`) first. Messages and
/// examples pass through the same function, so a crude stem still meets its own kind.
public enum WordStemmer {
    public static func stem(_ word: String) -> String {
        // Nearly every folded word is ASCII: stemmed over its bytes, where the same steps
        // over Unicode scalars cost thousands of instructions a word.
        if let stemmed = word.utf8.withContiguousStorageIfAvailable({ $0.allSatisfy { $0 < 0x80 } ? stemASCII($0) : nil }) ?? nil {
            return stemmed
        }
        return stemScalars(word)
    }

    /// The steps of `stemScalars` over ASCII bytes, where a byte is its scalar.
    private static func stemASCII(_ word: UnsafeBufferPointer<UInt8>) -> String {
        guard word.count > 3 else { return String(decoding: word, as: UTF8.self) }
        var letters = Array(word)
        func ends(_ suffix: StaticString) -> Bool {
            let count = suffix.utf8CodeUnitCount
            return letters.count >= count && (0..<count).allSatisfy { letters[letters.count - count + $0] == suffix.utf8Start[$0] }
        }
        if letters.count > 5, ends("ing") { letters.removeLast(3) }
        else if letters.count > 4, ends("ies") { letters.removeLast(3); letters.append(UInt8(ascii: "y")) }
        else if letters.count > 4, ends("ed") { letters.removeLast(2) }
        if letters.count > 5, letters[0] == UInt8(ascii: "g"), letters[1] == UInt8(ascii: "e") { letters.removeFirst(2) }
        var coded: [UInt8] = []
        coded.reserveCapacity(letters.count)
        var index = 0
        while index < letters.count {
            let letter = letters[index]
            let next = index + 1 < letters.count ? letters[index + 1] : 0
            if letter == UInt8(ascii: "s"), next == UInt8(ascii: "c"), index + 2 < letters.count, letters[index + 2] == UInt8(ascii: "h") {
                coded.append(UInt8(ascii: "$")); index += 3; continue
            }
            if letter == UInt8(ascii: "e"), next == UInt8(ascii: "i") { coded.append(UInt8(ascii: "%")); index += 2; continue }
            if letter == UInt8(ascii: "i"), next == UInt8(ascii: "e") { coded.append(UInt8(ascii: "&")); index += 2; continue }
            if let last = coded.last, last == letter { coded.append(UInt8(ascii: "*")); index += 1; continue }
            coded.append(letter)
            index += 1
        }
        while coded.count > 3 {
            let last = coded[coded.count - 1], before = coded[coded.count - 2]
            if coded.count > 5, before == UInt8(ascii: "e") && (last == UInt8(ascii: "m") || last == UInt8(ascii: "r"))
                || before == UInt8(ascii: "n") && last == UInt8(ascii: "d") {
                coded.removeLast(2)
            } else if last == UInt8(ascii: "e") || last == UInt8(ascii: "s") || last == UInt8(ascii: "n") || last == UInt8(ascii: "t") {
                coded.removeLast()
            } else {
                break
            }
        }
        var result: [UInt8] = []
        result.reserveCapacity(coded.count + 4)
        for (position, symbol) in coded.enumerated() {
            switch symbol {
            case UInt8(ascii: "$"): result += [UInt8(ascii: "s"), UInt8(ascii: "c"), UInt8(ascii: "h")]
            case UInt8(ascii: "%"): result += [UInt8(ascii: "e"), UInt8(ascii: "i")]
            case UInt8(ascii: "&"): result += [UInt8(ascii: "i"), UInt8(ascii: "e")]
            case UInt8(ascii: "*"): result.append(position > 0 ? result.last! : symbol)
            default: result.append(symbol)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    static func stemScalars(_ word: String) -> String {
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
