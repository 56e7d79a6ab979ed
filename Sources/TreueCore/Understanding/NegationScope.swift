/// Finds what a customer says they do not want, so its words count neither for a pattern
/// nor for an intent's examples: "bitte nicht stornieren, nur die Adresse ändern",
/// "keine Rechnung, ich brauche den Rücksendeschein", "statt Geld zurück lieber umtauschen".
///
/// A negation opens a span only when the message goes on to say what is wanted instead
/// (`sondern`, `nur`, `but`, `ich brauche`, `i want` …), and a replacement word (`statt`,
/// `instead of`) only where the message says what is wanted anywhere: "das Paket ist nicht
/// angekommen" keeps its `nicht` and "statt der schwarzen Schuhe kamen braune" its
/// `statt`, because there the negation is the complaint. A span ends at punctuation, at the word that
/// turns to the wanted thing, or after six words (a replacement's after the word or two
/// it replaces: `statt 36`, `instead of refund`).
///
/// Two more shapes rule a thing out without a wish word before the turn. German puts the
/// refusal after the thing ("Umtauschen will ich nicht, das Kleid geht zurück", "die
/// Öffnungszeiten kenn ich schon, …"), and a customer can reject a label for the case ("das
/// ist kein Garantiefall, …", "it's not a warranty thing, …"). Both count only when a new
/// clause follows.
public enum NegationScope {
    public struct Span: Sendable, Equatable {
        /// UTF-8 byte range in the folded text.
        public let range: Range<Int>
        /// The negated words, for explanations.
        public let words: [String]
    }

    static let maximumWords = 6

    public static func spans(in folded: String, words: [MessageWord]) -> [Span] {
        guard words.count > 2 else { return [] }
        var spans: [Span] = []
        let refusals = refusalsAfterTheThing(words, folded)
        var index = 0
        while index < words.count {
            if let refusal = refusals.first(where: { $0.lowerBound == index }) {
                spans.append(span(refusal, words))
                index = refusal.upperBound
                continue
            }
            if let end = knownAlreadyEnd(at: index, words, folded) {
                spans.append(span(index..<end, words))
                index = end
                continue
            }
            if let end = rejectedLabelEnd(at: index, words, folded) {
                spans.append(span(index..<end, words))
                index = end
                continue
            }
            let replacement = opensReplacement(at: index, words)
            let negation = opensNegation(at: index, words)
            // "statt X kam Y" and "size 10 instead of 8" are complaints, not wishes: a
            // replacement word counts only where the customer also says what they want.
            let wanted = replacement && (hasContrast(after: -1, words, skipping: index) || (index > 0 && !reportsDelivery(words)))
            let contrasted = negation && hasContrast(after: index, words)
            // "Ich will nichts umtauschen – ich hab M bestellt": a refused wish needs no
            // turn word when a new clause follows it.
            let wish = negation && !contrasted && refusesWish(at: index, words)
            let opening = negation && !contrasted && !wish && opensMessage(at: index, words)
            let refused = wish || opening
            guard wanted || contrasted || refused else {
                index += 1
                continue
            }
            var end = index + 1
            // "statt 36" names one thing: a replacement span is short, so "in 38 statt 36
            // bitte tauschen" keeps its verb.
            let limit = replacement ? (words[index].text == "statt" || words[index].text == "anstatt" ? 2 : 3) : maximumWords
            while end < words.count, end - index < limit + (replacement ? 0 : 1) {
                if breaks(between: words[end - 1], and: words[end], folded) { break }
                if FunctionWords.contrast.contains(words[end].text) && !(replacement && end == index + 1) { break }
                if startsWanting(at: end, words) { break }
                end += 1
            }
            if refused, !(end < words.count && breaks(between: words[end - 1], and: words[end], folded))
                || words[index..<end].contains(where: { cessation.contains($0.text) })
                || opening && words[index..<end].contains(where: { reportsFailure.contains($0.text) || reportsAbsence.contains($0.text) }) {
                index += 1
                continue
            }
            let range = words[index].range.lowerBound..<words[end - 1].range.upperBound
            if end - index > 1 {
                spans.append(Span(range: range, words: words[index..<end].map(\.text)))
            }
            index = end
        }
        return spans
    }

    private static func span(_ words: Range<Int>, _ all: [MessageWord]) -> Span {
        Span(range: all[words.lowerBound].range.lowerBound..<all[words.upperBound - 1].range.upperBound,
             words: all[words].map(\.text))
    }

    /// "ich will nicht(s) …", "ich brauche kein …", "i don't want …", "i do not need …".
    private static func refusesWish(at index: Int, _ words: [MessageWord]) -> Bool {
        let word = words[index].text
        func text(_ at: Int) -> String { at >= 0 && at < words.count ? words[at].text : "" }
        if refusingVerbs.contains(text(index - 1)), text(index - 2) == "ich" { return true }
        let wish = ["want", "need"]
        if ["dont", "never"].contains(word) { return ["i", "we"].contains(text(index - 1)) && wish.contains(text(index + 1)) }
        if word == "don" { return ["i", "we"].contains(text(index - 1)) && text(index + 1) == "t" && wish.contains(text(index + 2)) }
        if word == "not" { return text(index - 1) == "do" && ["i", "we"].contains(text(index - 2)) && wish.contains(text(index + 1)) }
        return false
    }

    /// "nich umtauschen, will die Jacke zurückgeben": a message that starts by ruling something
    /// out. A report that something does not work or did not come stays the complaint.
    private static func opensMessage(at index: Int, _ words: [MessageWord]) -> Bool {
        guard index == 0 || index == 1 && ["bitte", "also", "nein", "no", "please"].contains(words[0].text),
              index + 1 < words.count, words[index].text != "no", words[index].text != "never" else { return false }
        return true
    }

    private static let reportsFailure: Set<String> = [
        "funktioniert", "funktionieren", "geht", "gehen", "klappt", "lieferbar", "erhalten", "bekommen", "gekriegt", "mehr", "working",
        "work", "works", "received", "delivered", "arrived", "available", "sure", "schlecht", "ganz", "so", "sicher",
    ]

    /// "ich will keine Werbung mehr": a wish to stop something, which is itself the request.
    private static let cessation: Set<String> = ["mehr", "laenger", "anymore", "longer", "more"]

    /// Verbs of wanting that German puts before "ich nicht": "Umtauschen will ich nicht".
    private static let refusingVerbs: Set<String> = [
        "will", "moechte", "mochte", "moecht", "mag", "brauch", "brauche", "wollte", "wuerde", "brauchen", "frage", "frag",
    ]
    /// Verbs of knowing before "ich schon": "die Nummer kenn ich schon".
    private static let knowingVerbs: Set<String> = ["kenn", "kenne", "weiss", "hab", "habe"]
    private static let articles: Set<String> = [
        "die", "der", "das", "den", "eure", "euren", "ihre", "ihren", "deine", "meine", "meinen", "mein",
    ]

    /// "X will ich nicht, …", "Löschen will ich das Konto nicht, …", "die Nummer hab ich
    /// schon, …", "wie viele Punkte ich habe, weiß ich – …", "wann ihr offen habt, ist mir
    /// egal – …": word ranges from the clause's start to the refusal, when a new clause follows.
    private static func refusalsAfterTheThing(_ words: [MessageWord], _ folded: String) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var verb = 1
        while verb + 1 < words.count {
            defer { verb += 1 }
            let text = words[verb].text
            var end: Int
            let knowing: Bool
            if text == "egal", words[verb - 1].text == "ist" || words[verb - 1].text == "mir" {
                (knowing, end) = (false, verb)
            } else if text == "nicht", verb >= 2, words[verb - 1].text == "s" || words[verb - 1].text == "es",
                      ["geht", "gehts"].contains(words[verb - 2].text) {
                // "Das Zurückschicken hat geklappt, darum geht's nicht – …": the clause before.
                (knowing, end) = (false, verb)
            } else if text == "interessiert", words[verb + 1].text == "mich" {
                // "Mein Punktestand interessiert mich gerade nicht, …"
                end = verb + 2
                while end < min(words.count - 1, verb + 4), !FunctionWords.negators.contains(words[end].text) { end += 1 }
                guard FunctionWords.negators.contains(words[end].text) else { continue }
                knowing = false
            } else if text.utf8.count <= 7, keepingAuxiliaries.contains(text), let last = keepingEnd(after: verb, words) {
                // "Mein Spar-Abo soll weiterlaufen, nur …": what stays is not the request.
                (knowing, end) = (false, last)
            } else {
                guard words[verb + 1].text == "ich", verb + 2 < words.count else { continue }
                end = verb + 2
                if refusingVerbs.contains(text) {
                    // up to two words of the thing between ("will ich das Konto nicht")
                    while end < min(words.count - 1, verb + 4), !FunctionWords.negators.contains(words[end].text),
                          !breaks(between: words[end], and: words[end + 1], folded) {
                        end += 1
                    }
                    guard FunctionWords.negators.contains(words[end].text) else { continue }
                    knowing = false
                } else if knowingVerbs.contains(text) {
                    if ["schon", "bereits", "ja"].contains(words[end].text) {
                        knowing = true
                    } else if text == "weiss" || text == "kenn" || text == "kenne" {
                        (knowing, end) = (true, verb + 1)
                    } else {
                        continue
                    }
                } else {
                    continue
                }
            }
            end += 1
            guard end < words.count,
                  breaks(between: words[end - 1], and: words[end], folded) || FunctionWords.contrast.contains(words[end].text)
                    || startsWanting(at: end, words) else { continue }
            // "…, weiß ich" and "…, ist mir egal" name the thing in the clause before.
            var crossings = text == "egal" || text == "nicht" || (knowing && end == verb + 2) ? 1 : 0
            var start = verb
            while start > 0, verb - start < 7, !FunctionWords.contrast.contains(words[start - 1].text) {
                if breaks(between: words[start - 1], and: words[start], folded) {
                    guard crossings > 0 else { break }
                    crossings -= 1
                }
                start -= 1
            }
            guard start < verb, found.last.map({ $0.upperBound <= start }) ?? true else { continue }
            // "bezahlt hab ich schon, …" reports a step taken; only a named thing is known.
            if knowing, text == "hab" || text == "habe", !articles.contains(words[start].text) { continue }
            found.append(start..<end)
        }
        return found
    }

    private static let keepingVerbs: Set<String> = ["bleiben", "weiterlaufen", "weiterbestehen", "weitergehen"]
    private static let keepingAuxiliaries: Set<String> = ["soll", "sollen", "kann", "darf", "duerfen", "koennen"]

    /// The last word of "… soll bleiben", "… soll weiterlaufen", "… soll bestehen bleiben".
    private static func keepingEnd(after verb: Int, _ words: [MessageWord]) -> Int? {
        guard verb + 1 < words.count else { return nil }
        let next = words[verb + 1].text
        if keepingVerbs.contains(next) { return verb + 1 }
        if verb + 2 < words.count, ["bestehen", "aktiv", "weiter", "so"].contains(next),
           ["bleiben", "laufen", "bestehen"].contains(words[verb + 2].text) {
            return verb + 2
        }
        return nil
    }

    /// "I know how many points I have, I need …", "i already know your hours, but …": what
    /// the customer says they know, up to the clause that asks for something else.
    private static func knownAlreadyEnd(at index: Int, _ words: [MessageWord], _ folded: String) -> Int? {
        guard words[index].text == "i", index + 1 < words.count else { return nil }
        var end = index + 1
        if ["already", "do"].contains(words[end].text) { end += 1 }
        guard end < words.count, words[end].text == "know" else { return nil }
        end += 1
        while end < words.count, end - index <= maximumWords + 2 {
            if breaks(between: words[end - 1], and: words[end], folded) || FunctionWords.contrast.contains(words[end].text)
                || startsWanting(at: end, words) {
                // A number they know is the order they ask about: it stays.
                let namesNumber = words[index..<end].contains { $0.text.utf8.contains { $0 >= 0x30 && $0 <= 0x39 } }
                return end - index > 2 && !namesNumber ? end : nil
            }
            end += 1
        }
        return nil
    }

    /// "das ist kein Garantiefall, …", "it's not a warranty thing, …", "es geht nicht um …, …":
    /// the end of the rejected label, when a new clause follows it.
    private static func rejectedLabelEnd(at index: Int, _ words: [MessageWord], _ folded: String) -> Int? {
        let word = words[index].text
        // Only "kein…", "nicht", "not" and "isn" open a rejected label: most words leave here.
        guard let first = word.utf8.first, first == UInt8(ascii: "k") || first == UInt8(ascii: "n") || first == UInt8(ascii: "i")
        else { return nil }
        let before = index > 0 ? words[index - 1].text : ""
        let twoBefore = index > 1 ? words[index - 2].text : ""
        let next = index + 1 < words.count ? words[index + 1].text : ""
        let german = word.hasPrefix("kein") && FunctionWords.negators.contains(word)
            && (before == "ist" || before == "isch") && (twoBefore == "das" || twoBefore == "dies" || twoBefore == "des" || index == 1)
        let aboutGerman = word == "nicht" && before == "geht" && next == "um"
            || word == "nicht" && next == "um" && twoBefore == "geht"
        let english = word == "not" && (next == "a" || next == "an" || next == "about")
            && (index == 0 || before == "its" || (before == "s" || before == "is") && ["it", "this", "that"].contains(twoBefore))
        // "this isn't a review, …" arrives as "isn" "t" "a".
        let afterContraction = index + 2 < words.count ? words[index + 2].text : ""
        let englishContracted = word == "isn" && next == "t" && ["a", "an", "about"].contains(afterContraction)
            && (index == 0 || ["it", "this", "that"].contains(before))
        guard german || aboutGerman || english || englishContracted else { return nil }
        var end = index + (englishContracted ? 2 : 1)
        while end < words.count, end - index <= maximumWords {
            if breaks(between: words[end - 1], and: words[end], folded) { return end - index > 1 ? end : nil }
            if FunctionWords.contrast.contains(words[end].text) || startsWanting(at: end, words) { return end - index > 1 ? end : nil }
            end += 1
        }
        return nil
    }

    /// The folded text with the negated spans blanked out (bytes become spaces, so every
    /// offset, and the way back to the original, stays as it was).
    public static func blank(_ folded: String, _ spans: [Span]) -> String {
        guard !spans.isEmpty else { return folded }
        var bytes = Array(folded.utf8)
        for span in spans { for offset in span.range { bytes[offset] = 0x20 } }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let contractions: Set<String> = ["don", "didn", "doesn", "isn", "wasn"]

    private static func opensNegation(at index: Int, _ words: [MessageWord]) -> Bool {
        let word = words[index].text
        // Every negator and contraction starts with one of these letters: most words need no lookup.
        guard let first = word.utf8.first, negationInitials.contains(first) else { return false }
        var next = index + 1
        let isNegator = FunctionWords.negators.contains(word)
        // "don't", "didn't", "isn't" arrive as two words.
        let isContraction = !isNegator && contractions.contains(word) && next < words.count && words[next].text == "t"
        guard isNegator || isContraction else { return false }
        if isContraction { next += 1 }
        // "war nicht im Paket, nur das Kabel", "wasn't in the box, only the cable": what is
        // missing is the complaint, not something the customer turns down.
        guard next < words.count else { return true }
        let following = words[next].text
        if reportsAbsence.contains(following) { return false }
        if following == "in", next + 1 < words.count, ["the", "my", "der", "dem", "meinem", "meiner"].contains(words[next + 1].text) {
            return false
        }
        return true
    }

    /// Words after a negation that say something is missing or did not come.
    private static let reportsAbsence: Set<String> = [
        "im", "drin", "dabei", "enthalten", "beigelegt", "mitgeliefert", "angekommen", "gekommen", "geliefert", "da",
        "included", "there", "inside", "arrived", "delivered",
    ]

    private static let negationInitials: Set<UInt8> = Set((FunctionWords.negators.union(contractions)).compactMap(\.utf8.first))
    private static let replacementInitials: Set<UInt8> = Set(FunctionWords.insteadOf.compactMap(\.utf8.first))

    private static func opensReplacement(at index: Int, _ words: [MessageWord]) -> Bool {
        let word = words[index].text
        guard let first = word.utf8.first, replacementInitials.contains(first) else { return false }
        guard FunctionWords.insteadOf.contains(word) else { return false }
        if word == "instead" { return index + 1 < words.count && words[index + 1].text == "of" }
        if word == "rather" { return index + 1 < words.count && words[index + 1].text == "than" }
        // "statt" at the very start ("statt dessen") or alone is no replacement.
        return index + 1 < words.count
    }

    private static func hasContrast(after index: Int, _ words: [MessageWord], skipping: Int? = nil) -> Bool {
        for later in (index + 1)..<words.count where later != skipping && later != skipping.map({ $0 + 1 }) {
            if FunctionWords.contrast.contains(words[later].text) || startsWanting(at: later, words) { return true }
        }
        return false
    }

    /// Verbs of something having arrived: with them, `statt` names what should have come.
    private static let deliveryVerbs: Set<String> = [
        "kam", "kamen", "kommt", "geliefert", "bekommen", "erhalten", "geschickt", "gekommen", "drin", "war", "waren",
        "sent", "got", "received", "came", "arrived", "delivered", "shipped", "was", "were",
    ]

    private static func reportsDelivery(_ words: [MessageWord]) -> Bool { words.contains { deliveryVerbs.contains($0.text) } }

    static func startsWanting(at index: Int, _ words: [MessageWord]) -> Bool {
        guard index + 1 < words.count else { return false }
        if FunctionWords.wanting.contains(words[index].text + " " + words[index + 1].text) { return true }
        // "keine Geschenkkarte, ich hab einen Rabattcode": having a thing turns to it, having
        // done something ("ich habe am 3. bestellt") does not.
        return index + 2 < words.count && words[index].text == "ich" && ["hab", "habe"].contains(words[index + 1].text)
            && ["einen", "nen", "ne", "eine", "ein", "n"].contains(words[index + 2].text)
    }

    /// Clause punctuation between two words ends a span.
    private static func breaks(between left: MessageWord, and right: MessageWord, _ folded: String) -> Bool {
        guard left.range.upperBound < right.range.lowerBound else { return false }
        let utf8 = folded.utf8
        let from = utf8.index(utf8.startIndex, offsetBy: left.range.upperBound)
        let gap = utf8[from..<utf8.index(from, offsetBy: right.range.lowerBound - left.range.upperBound)]
        for byte in gap {
            switch byte {
            case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"),
                 UInt8(ascii: ":"), UInt8(ascii: "("), UInt8(ascii: ")"), 0xE2:  // 0xE2 leads – and —
                return true
            // "Spar-Abo" is one thing; only a free-standing dash ends a clause.
            case UInt8(ascii: "-"):
                if gap.contains(UInt8(ascii: " ")) { return true }
            default: continue
            }
        }
        return false
    }
}
