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

    /// The words a span can open at or needs: negators and contractions ("not", "isn"),
    /// replacement words, what German puts after the thing ("egal", "soll", "kenn"), the
    /// openers of dropped and rejected things ("vergiss", "weniger", "ohne", "nee") and
    /// "know". A new shape adds its words here, or the gate test fails.
    static let triggers: WordSet = FunctionWords.negators.union(contractions).union(FunctionWords.insteadOf).union(settled)
        .union(keepingAuxiliaries).union(knowingVerbs).union(ruleOutVerbs)
        .union(deferrals).union(handlingVerbs).union(["late", "spaet"])
        .union(["know", "weniger", "less", "ohne", "without", "nee", "nein", "no", "nope", "noe", "isn", "never", "nothing", "wait", "zeit"])

    /// - Parameter gated: off only for the test that proves the gate changes nothing.
    public static func spans(in folded: String, words: [MessageWord], gated: Bool = true) -> [Span] {
        guard words.count > 2 else { return [] }
        // Every shape below opens at one of these words; most messages have none of them.
        guard !gated || words.contains(where: { triggers.contains($0) }) else { return [] }
        var spans: [Span] = []
        let refusals = refusalsAfterTheThing(words, folded, gated: gated)
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
            if let end = setAsideEnd(at: index, words, folded) ?? rejectedLabelEnd(at: index, words, folded) ?? ruledOutEnd(at: index, words, folded)
                ?? notJustEnd(at: index, words, folded) ?? lessThanEnd(at: index, words, folded) ?? withoutEnd(at: index, words, folded) {
                spans.append(span(index..<end, words))
                index = end
                continue
            }
            if let start = rejectedQuestionStart(at: index, words, folded), spans.last.map({ $0.range.upperBound <= words[start].range.lowerBound }) ?? true {
                spans.append(span(start..<(index + 1), words))
                index += 1
                continue
            }
            let replacement = opensReplacement(at: index, words)
            let negation = opensNegation(at: index, words)
            // "statt X kam Y" and "size 10 instead of 8" are complaints, not wishes: a
            // replacement word counts only where the customer also says what they want.
            let wanted = replacement && (hasContrast(after: -1, words, skipping: index) || (index > 0 && !reportsDelivery(words))
                || replacesAnAction(at: index, words))
            let contrasted = negation && hasContrast(after: index, words)
            // "Ich will nichts umtauschen – ich hab M bestellt": a refused wish needs no
            // turn word when a new clause follows it.
            let wish = negation && !contrasted && refusesWish(at: index, words)
            let opening = negation && !contrasted && !wish && opensMessage(at: index, words)
            // "…? I'm not asking about opening times.", "I'm not trying to log in": wherever
            // it stands, a negated asking or seeking verb turns its object down, to the end
            // of the message too. ("not interested in the newsletter" is a wish: left out.)
            let declined = negation && !contrasted && index + 1 < words.count && declineVerbs.contains(words[index + 1])
            let refused = wish || opening || declined
            guard wanted || contrasted || refused else {
                index += 1
                continue
            }
            // "Ich will nicht wissen, wann sie verfallen, sondern wie …": "sondern" says the
            // whole stretch from the negation to it is what is not meant, commas and all.
            if negation, let turn = sondernIndex(after: index, words, folded) {
                spans.append(span(index..<turn, words))
                index = turn
                continue
            }
            var end = index + 1
            // "statt 36" names one thing: a replacement span is short, so "in 38 statt 36
            // bitte tauschen" keeps its verb. "instead of" and "rather than" take two words
            // to open, and an article before the thing.
            var limit = maximumWords
            let asking = !replacement && index + 1 < words.count && askingVerbs.contains(words[index + 1])
            var crossedIntoQuestion = false
            if replacement {
                let word = words[index].text
                let replaced = index + (word == "statt" || word == "anstatt" ? 1 : 2)
                if replaced < words.count, questionWords.contains(words[replaced]) {
                    // "rather than how fast it ships, …": the question replaced runs to its clause's end.
                    limit = 2 * maximumWords
                } else if word == "statt" || word == "anstatt" {
                    limit = 2
                } else if word == "instead" || word == "rather" {
                    // "rather than getting a different size": a verb's thing follows it.
                    let opener = index + 2 < words.count ? words[index + 2].text : ""
                    limit = determiners.contains(opener) ? 5 : opener.hasSuffix("ing") && opener.utf8.count > 5 ? 6 : 3
                } else {
                    limit = 3
                }
            } else if asking {
                // "not asking how long shipping takes in general, …": the question turned
                // down runs to the end of its clause.
                limit = 2 * maximumWords
            } else if wish, words[index].text == "no" {
                // "no need to pass me on to anyone": "need to" takes two words to open.
                limit = maximumWords + 2
            }
            while end < words.count, end - index < limit + (replacement ? 0 : 1) {
                if breaks(between: words[end - 1], and: words[end], folded) {
                    // "nicht wissen, wie lange ihr braucht – …": the question turned down
                    // follows its verb after a comma.
                    guard asking, !crossedIntoQuestion, end == index + 2, questionWords.contains(words[end]),
                          !endsSentence(between: words[end - 1], and: words[end], folded) else { break }
                    crossedIntoQuestion = true
                }
                if contrasts(at: end, words) && !(replacement && end == index + 1) { break }
                if startsWanting(at: end, words) { break }
                if replacement, politeness.contains(words[end]) { break }
                end += 1
            }
            if refused, !declined && !(end < words.count && breaks(between: words[end - 1], and: words[end], folded))
                || words[index..<end].contains(where: { cessation.contains($0) || keepVerbs.contains($0) })
                || opening && words[index..<end].contains(where: { reportsFailure.contains($0) || reportsAbsence.contains($0) }) {
                index += 1
                continue
            }
            // "No more promotional mail, please": a wish to stop something, as "keine Werbung mehr".
            if words[index].text == "no", index + 1 < words.count, words[index + 1].text == "more" {
                index += 1
                continue
            }
            // "bitte nicht mehr losschicken", "please don't ship it": asking that an order not
            // go out is the request itself, a cancellation ("don't send it back" is not).
            if negation, words[index..<min(end, index + 4)].contains(where: { haltedShipping.contains($0) }),
               !words[index..<end].contains(where: { $0.text == "back" || $0.text == "zurueck" }) {
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

    private static let determiners: WordSet = ["the", "a", "an", "my", "your", "this", "that", "den", "die", "das", "der", "dem", "mein", "meine", "meinen"]
    private static let politeness: WordSet = ["please", "pls", "bitte"]
    /// Verbs whose negation turns down a question: "not asking …", "nicht gefragt, …".
    private static let askingVerbs: WordSet = ["asking", "wondering", "interested", "fragen", "gefragt", "wissen", "frage"]
    private static let declineVerbs: WordSet = ["asking", "wondering", "trying", "looking", "after", "chasing"]
    private static let questionWords: WordSet = [
        "wie", "wann", "was", "wo", "ob", "warum", "wieso", "welche", "welcher", "wieviel", "how", "when", "what", "where", "whether",
        "if", "why", "which",
    ]
    /// Sentence ends: a "sondern" beyond one belongs to another sentence.
    private static func endsSentence(between left: MessageWord, and right: MessageWord, _ folded: String) -> Bool {
        gap(between: left, and: right, folded).contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "!") || $0 == UInt8(ascii: "?") }
    }

    /// The "sondern" that answers a negation at `index`, across commas but not sentences,
    /// when something stands between them.
    private static func sondernIndex(after index: Int, _ words: [MessageWord], _ folded: String) -> Int? {
        // "nicht nur …, sondern auch …" adds to what is wanted.
        guard index + 1 < words.count, !["nur", "only", "just"].contains(words[index + 1].text) else { return nil }
        var later = index + 1
        while later < words.count, later - index <= 2 * maximumWords {
            if endsSentence(between: words[later - 1], and: words[later], folded) { return nil }
            if words[later].text == "sondern" {
                return later - index > 1 && !(later + 1 < words.count && words[later + 1].text == "auch") ? later : nil
            }
            later += 1
        }
        return nil
    }

    private static let ruleOutVerbs: WordSet = ["scratch", "forget", "vergiss", "vergesst", "vergessen", "nevermind"]
    private static let clauseOpeners: WordSet = ["no", "wait", "ok", "okay", "oh", "nee", "nein", "bitte", "also", "sorry", "ach", "naja", "actually", "oder"]

    /// "scratch that about my order. …", "forget expiry for now, …", "vergiss den Umtausch,
    /// …", "never mind the refund, …": a clause that opens by dropping something, up to its
    /// end, when a new clause follows.
    private static func ruledOutEnd(at index: Int, _ words: [MessageWord], _ folded: String) -> Int? {
        let word = words[index].text
        guard let first = word.utf8.first, first == UInt8(ascii: "s") || first == UInt8(ascii: "f") || first == UInt8(ascii: "v")
            || first == UInt8(ascii: "n") else { return nil }
        var opener = index + 1
        if word == "never", index + 1 < words.count, words[index + 1].text == "mind" {
            opener = index + 2
        } else {
            guard ruleOutVerbs.contains(word) else { return nil }
            // "vergessen Sie das", not "ich habe mein Passwort vergessen".
            if word == "vergessen" { guard opener < words.count, words[opener].text == "sie" else { return nil }; opener += 1 }
        }
        guard index == 0 || breaks(between: words[index - 1], and: words[index], folded) || clauseOpeners.contains(words[index - 1])
        else { return nil }
        var end = opener
        while end < words.count, end - index <= maximumWords + 2 {
            if breaks(between: words[end - 1], and: words[end], folded) || contrasts(at: end, words)
                || startsWanting(at: end, words) {
                return end > opener && !saysItFails(words[opener..<end]) ? end : nil
            }
            end += 1
        }
        // "Which level am I on? Never mind my points total.": dropped after the question.
        return end == words.count && index > 0 && end > opener && !saysItFails(words[opener..<end]) ? end : nil
    }

    /// "forget password klappt nicht!!", "scratch card isn't working, help": a clause that
    /// says its thing fails is the complaint, not a thing dropped.
    private static func saysItFails(_ clause: ArraySlice<MessageWord>) -> Bool {
        clause.contains { FunctionWords.negators.contains($0) || contractions.contains($0) }
    }

    /// "Mir geht's weniger um die Versandkosten, mehr um die Dauer", "less about the price,
    /// more about …": what comes before "mehr"/"more" is not the question.
    private static func lessThanEnd(at index: Int, _ words: [MessageWord], _ folded: String) -> Int? {
        let word = words[index].text
        guard let first = word.utf8.first, first == UInt8(ascii: "w") || first == UInt8(ascii: "l"),
              word == "weniger" || word == "less", index + 2 < words.count else { return nil }
        var later = index + 1
        while later < words.count, later - index <= maximumWords + 2 {
            if endsSentence(between: words[later - 1], and: words[later], folded) { return nil }
            if ["mehr", "eher", "more", "sondern", "als"].contains(words[later].text) {
                return later - index > 1 && breaks(between: words[later - 1], and: words[later], folded) ? later : nil
            }
            later += 1
        }
        return nil
    }

    /// "den Newsletter abbestellen, ohne das Konto zu löschen", "stop the emails without
    /// deleting my account": what is to happen without something names what is not wanted.
    /// German needs the infinitive with "zu" ("ohne … zu löschen", "ohne abzusagen") or
    /// "ohne dass", English a verb in -ing right after "without" ("without cancelling",
    /// "without having to"): "came without the charger" is the complaint and stays.
    /// "abzusagen": a "zu" after the first two letters with three or more after it.
    private static func hasInnerZu(_ word: String) -> Bool {
        let bytes = Array(word.utf8)
        guard bytes.count > 6 else { return false }
        for i in 2..<(bytes.count - 4) where bytes[i] == UInt8(ascii: "z") && bytes[i + 1] == UInt8(ascii: "u") { return true }
        return false
    }

    /// Things, not doings: "came without packaging" is the complaint.
    private static let ingNouns: WordSet = [
        "packaging", "wrapping", "padding", "tracking", "shipping", "billing", "clothing", "bedding", "lighting", "anything",
        "something", "nothing", "everything", "string", "warning", "booking", "filling", "lining", "stuffing", "housing", "fitting",
    ]

    private static func withoutEnd(at index: Int, _ words: [MessageWord], _ folded: String) -> Int? {
        let word = words[index].text
        guard let first = word.utf8.first, first == UInt8(ascii: "o") || first == UInt8(ascii: "w"),
              word == "ohne" || word == "without", index > 0, index + 1 < words.count else { return nil }
        if word == "without" {
            let next = words[index + 1].text
            guard next.utf8.count > 4, next.hasSuffix("ing"), !ingNouns.contains(next) else { return nil }
            var end = index + 2
            while end < words.count, end - index <= maximumWords, !breaks(between: words[end - 1], and: words[end], folded),
                  !contrasts(at: end, words) { end += 1 }
            return end
        }
        if words[index + 1].text == "dass" {
            var end = index + 2
            while end < words.count, end - index <= maximumWords + 2, !breaks(between: words[end - 1], and: words[end], folded) { end += 1 }
            return end > index + 2 ? end : nil
        }
        var later = index + 1
        while later < words.count, later - index <= maximumWords + 1 {
            if later > index + 1, breaks(between: words[later - 1], and: words[later], folded) { return nil }
            let text = words[later].text
            if text == "zu", later + 1 < words.count, !breaks(between: words[later], and: words[later + 1], folded) { return later + 2 }
            // "ohne abzusagen", "ohne zurueckzuschicken": the "zu" inside the verb.
            if text.utf8.count > 6, text.hasSuffix("n"), hasInnerZu(text) { return later + 1 }
            later += 1
        }
        return nil
    }

    /// "I meant delete the whole account, not just cancel the subscription": "not just" after
    /// the wish names what was not meant, and so does "nicht nur den Newsletter, das ganze
    /// Konto soll weg" before it, when a clause follows. "nicht nur …, sondern auch …" adds,
    /// so it stays.
    private static func notJustEnd(at index: Int, _ words: [MessageWord], _ folded: String) -> Int? {
        let word = words[index].text
        guard word.utf8.first == UInt8(ascii: "n"), word == "not" || word == "nicht" || word == "nich", index + 2 < words.count,
              ["just", "only", "nur"].contains(words[index + 1].text),
              index == 0 || breaks(between: words[index - 1], and: words[index], folded),
              !words[(index + 2)...].contains(where: { $0.text == "also" || $0.text == "auch" }) else { return nil }
        var end = index + 2
        while end < words.count, end - index <= maximumWords + 1, !breaks(between: words[end - 1], and: words[end], folded) { end += 1 }
        // Before the wish, the clause that follows must be there to say what is wanted.
        if index == 0 || endsSentence(between: words[index - 1], and: words[index], folded) {
            guard end < words.count, breaks(between: words[end - 1], and: words[end], folded) else { return nil }
        }
        return end > index + 2 ? end : nil
    }

    /// "Umtausch? Nee, ich hab doch storniert", "Exchange? No thanks – …": a question of a
    /// word or two answered with a no names what is not meant. The start of the question,
    /// when a clause follows.
    private static func rejectedQuestionStart(at index: Int, _ words: [MessageWord], _ folded: String) -> Int? {
        guard words[index].text.utf8.first == UInt8(ascii: "n"), index > 0, index + 1 < words.count,
              ["nee", "nein", "no", "nope", "noe"].contains(words[index].text) else { return nil }
        // "no thanks", "nein danke", "no thank you": the polite no ends where the clause breaks.
        var last = index
        if ["thanks", "danke", "thank"].contains(words[last + 1].text) {
            last += 1
            if words[last].text == "thank", last + 1 < words.count, words[last + 1].text == "you" { last += 1 }
        }
        guard last + 1 < words.count, breaks(between: words[last], and: words[last + 1], folded) else { return nil }
        let utf8 = folded.utf8
        let gap = utf8[utf8.index(utf8.startIndex, offsetBy: words[index - 1].range.upperBound)..<utf8.index(utf8.startIndex, offsetBy: words[index].range.lowerBound)]
        guard gap.contains(UInt8(ascii: "?")) else { return nil }
        var start = index - 1
        while start > 0, index - start < 2, !breaks(between: words[start - 1], and: words[start], folded) { start -= 1 }
        guard start == 0 || breaks(between: words[start - 1], and: words[start], folded) else { return nil }
        return start
    }

    /// "ich will nicht(s) …", "ich brauche kein …", "i don't want …", "i do not need …".
    private static func refusesWish(at index: Int, _ words: [MessageWord]) -> Bool {
        let word = words[index].text
        func text(_ at: Int) -> String { at >= 0 && at < words.count ? words[at].text : "" }
        if refusingVerbs.contains(text(index - 1)), text(index - 2) == "ich" { return true }
        let wish = ["want", "need", "have"]
        if ["dont", "never", "dinnae"].contains(word) { return ["i", "we"].contains(text(index - 1)) && wish.contains(text(index + 1)) }
        if word == "don" { return ["i", "we"].contains(text(index - 1)) && text(index + 1) == "t" && wish.contains(text(index + 2)) }
        if word == "not" || word == "nicht", askingVerbs.contains(text(index + 1)) { return true }
        if word == "not" { return text(index - 1) == "do" && ["i", "we"].contains(text(index - 2)) && wish.contains(text(index + 1)) }
        // "No need to pass me on to anyone. Thanks!"
        if word == "no" { return text(index + 1) == "need" && text(index + 2) == "to" }
        return false
    }

    /// "nich umtauschen, will die Jacke zurückgeben": a message that starts by ruling something
    /// out. A report that something does not work or did not come stays the complaint.
    private static func opensMessage(at index: Int, _ words: [MessageWord]) -> Bool {
        guard index == 0 || index == 1 && ["bitte", "also", "nein", "no", "please"].contains(words[0].text),
              index + 1 < words.count, words[index].text != "no", words[index].text != "never" else { return false }
        return true
    }

    private static let reportsFailure: WordSet = [
        "funktioniert", "funktionieren", "geht", "gehen", "klappt", "lieferbar", "erhalten", "bekommen", "gekriegt", "mehr", "working",
        "work", "works", "received", "delivered", "arrived", "available", "sure", "schlecht", "ganz", "so", "sicher",
    ]

    /// "ich will keine Werbung mehr": a wish to stop something, which is itself the request.
    private static let cessation: WordSet = ["mehr", "laenger", "anymore", "longer", "more"]
    /// Not keeping a thing is the wish to send it back, not a thing ruled out.
    private static let keepVerbs: WordSet = ["behalten", "behalte", "keep", "keeping"]
    private static let haltedShipping: WordSet = [
        "losschicken", "abschicken", "verschicken", "rausschicken", "versenden", "ship", "dispatch", "send",
    ]

    /// Words that may stand between "ist" and "nichts" ("ist da noch gar nichts").
    private static let fillers: WordSet = ["da", "noch", "gar", "bisher", "ja", "hier", "eigentlich", "ueberhaupt", "doch"]

    /// The index of "nichts" at `start` or after up to three fillers, else nil.
    private static func nothingAfterFillers(_ start: Int, _ words: [MessageWord]) -> Int? {
        var index = start
        while index < words.count, index < start + 3, fillers.contains(words[index]) { index += 1 }
        return index < words.count && ["nichts", "nix"].contains(words[index].text) ? index : nil
    }

    /// Verbs of wanting that German puts before "ich nicht": "Umtauschen will ich nicht".
    private static let refusingVerbs: WordSet = [
        "will", "moechte", "mochte", "moecht", "mag", "brauch", "brauche", "wollte", "wuerde", "brauchen", "frage", "frag", "meine", "mein",
        "werde", "werd", "suche", "such", "denke", "denk",
    ]
    /// Verbs of knowing before "ich schon": "die Nummer kenn ich schon".
    private static let knowingVerbs: WordSet = ["kenn", "kenne", "weiss", "hab", "habe"]
    private static let articles: WordSet = [
        "die", "der", "das", "den", "eure", "euren", "ihre", "ihren", "deine", "meine", "meinen", "mein",
    ]

    /// "X will ich nicht, …", "Löschen will ich das Konto nicht, …", "die Nummer hab ich
    /// schon, …", "wie viele Punkte ich habe, weiß ich – …", "wann ihr offen habt, ist mir
    /// egal – …": word ranges from the clause's start to the refusal, when a new clause follows.
    private static func refusalsAfterTheThing(_ words: [MessageWord], _ folded: String, gated: Bool) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var verb = 1
        while verb + 1 < words.count {
            defer { verb += 1 }
            guard !gated || refusalVerbs.contains(words[verb]) else { continue }
            let text = words[verb].text
            var end: Int
            let knowing: Bool
            if settled.contains(text), words[verb - 1].text == "ist" || words[verb - 1].text == "mir" {
                // "Mein Punktestand ist mir klar – bis wann …", "Das Abo hab ich gekündigt, das
                // ist erledigt. …": known or done, so not the question.
                (knowing, end) = (false, verb)
            } else if text == "muss" || text == "braucht", FunctionWords.negators.contains(words[verb + 1]) {
                // "stornieren muss nicht sein, …", "Meine E-Mail-Adresse muss nicht geändert
                // werden, …": up to two words close the clause.
                end = verb + 1
                while end + 1 < words.count, end < verb + 3, !breaks(between: words[end], and: words[end + 1], folded) { end += 1 }
                knowing = false
            } else if text == "nicht", verb >= 2, words[verb - 1].text == "s" || words[verb - 1].text == "es",
                      ["geht", "gehts"].contains(words[verb - 2].text) {
                // "Das Zurückschicken hat geklappt, darum geht's nicht – …": the clause before.
                (knowing, end) = (false, verb)
            } else if let last = notTheConcernEnd(at: verb, words) {
                // "Einloggen klappt problemlos, das ist nicht mein Anliegen. …", "Login works,
                // that's not the issue": the clause before is not the question.
                (knowing, end) = (false, last)
            } else if let first = text.utf8.first, first == UInt8(ascii: "i") || first == UInt8(ascii: "w"),
                      text == "ist" || text == "isch" || text == "war",
                      let last = words[verb + 1].text == "es" && verb + 2 < words.count && FunctionWords.negators.contains(words[verb + 2])
                        ? verb + 2 : nothingAfterFillers(verb + 1, words) {
                // "Umtausch wegen Nichtgefallen ist es nicht. …", "Kaputt ist nichts, aber …",
                // "Verspätet ist da noch gar nichts, …": nothing of the kind in the clause before.
                (knowing, end) = (false, last)
            } else if deferringWords.contains(text), deferring(at: verb, words) {
                // "Spending them at checkout can wait. I just want …", "Das Umtauschen kann
                // warten, …": what can wait is not the question now.
                (knowing, end) = (false, verb)
            } else if thereIsWords.contains(text), let last = nothingThereEnd(after: verb, words) {
                // "Zu reklamieren gibt es nichts, ich möchte loben": nothing of the kind.
                (knowing, end) = (false, last)
            } else if text == "interessiert" || text == "interessieren", words[verb + 1].text == "mich" {
                // "Mein Punktestand interessiert mich gerade nicht, …", "Die Lieferzeiten interessieren mich nicht."
                end = verb + 2
                // "… interessiert mich weniger": little interest is none.
                let dismisses = { (word: MessageWord) in FunctionWords.negators.contains(word) || word.text == "weniger" || word.text == "kaum" }
                while end < min(words.count - 1, verb + 4), !dismisses(words[end]) { end += 1 }
                guard dismisses(words[end]) else { continue }
                knowing = false
            } else if text.utf8.count <= 5, dismissingAuxiliaries.contains(text), let last = dismissalEnd(after: verb, words) {
                // "My tier doesn't interest me much, …", "Unsubscribing isn't enough for me – …":
                // the thing named before is not what is asked for.
                (knowing, end) = (false, last)
            } else if text == "kommt" || text == "kommts", let last = mattersNotEnd(after: verb, words, folded) {
                // "Auf die Lieferzeit kommt es mir nicht an, …": what does not matter is not the question.
                (knowing, end) = (false, last)
            } else if text.utf8.count <= 7, keepingAuxiliaries.contains(text), let last = keepingEnd(after: verb, words) {
                // "Mein Spar-Abo soll weiterlaufen, nur …": what stays is not the request.
                (knowing, end) = (false, last)
            } else {
                // "Zruckschicke will i nix, …": the dialect "i" is "ich".
                guard words[verb + 1].text == "ich" || words[verb + 1].text == "i", verb + 2 < words.count else { continue }
                end = verb + 2
                if refusingVerbs.contains(text) {
                    // up to three words of the thing between ("will ich die Punkte noch nicht")
                    while end < min(words.count - 1, verb + 5), !FunctionWords.negators.contains(words[end]),
                          !breaks(between: words[end], and: words[end + 1], folded) {
                        end += 1
                    }
                    guard FunctionWords.negators.contains(words[end]) else { continue }
                    // "Meinen Punktestand will ich gar nicht wissen, …"
                    end = closingVerb(after: end, words, folded, endings: ["en"])
                    // "Den Pullover möchte ich nicht behalten": not keeping it is the wish to return it.
                    guard !keepVerbs.contains(words[end]) else { continue }
                    knowing = false
                } else if knowingVerbs.contains(text) {
                    if ["schon", "bereits", "ja"].contains(words[end].text) {
                        knowing = true
                        // "Den Newsletter hab ich schon abbestellt, …", "… hab ich schon gefunden."
                        if text == "hab" || text == "habe" { end = closingVerb(after: end, words, folded, endings: ["t", "en"]) }
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
            // "…? Den Geburtstagsbonus meine ich nicht.": a refusal may close the message
            // when another clause asked for something before it.
            let closesMessage = end == words.count
            guard closesMessage || breaks(between: words[end - 1], and: words[end], folded) || contrasts(at: end, words)
                    || startsWanting(at: end, words) else { continue }
            // "…, weiß ich" and "…, ist mir egal" name the thing in the clause before.
            var crossings = settled.contains(text) || text == "nicht" || text == "not" || text == "interessiert" || text == "interessieren" || (knowing && end == verb + 2) ? 1 : 0
            if (text == "ist" || text == "isch" || text == "war" || dismissingAuxiliaries.contains(text)) && !knowing { crossings = 0 }
            // "Wo das Paket ist, sehe ich in der App, darum geht es nicht": the thing seen is
            // two clauses back.
            let reach = text == "nicht" && verb >= 3 && ["darum", "daran", "dadrum"].contains(words[verb - 3].text) ? 12 : 7
            if reach == 12 { crossings = 2 }
            var start = verb
            while start > 0, verb - start < reach, !contrasts(at: start - 1, words) {
                if breaks(between: words[start - 1], and: words[start], folded) {
                    // A comma may be crossed back to the thing named, a sentence end never.
                    guard crossings > 0, !endsSentence(between: words[start - 1], and: words[start], folded) else { break }
                    crossings -= 1
                }
                start -= 1
            }
            guard start < verb, found.last.map({ $0.upperBound <= start }) ?? true else { continue }
            if closesMessage, start == 0 || !breaks(between: words[start - 1], and: words[start], folded) { continue }
            // "bezahlt hab ich schon, …" reports a step taken; only a named thing is known.
            if knowing, text == "hab" || text == "habe", !articles.contains(words[start]) { continue }
            found.append(start..<end)
        }
        return found
    }

    /// Every word a shape of `refusalsAfterTheThing` turns on: one set test turns the
    /// other words away before the shapes' string comparisons. A new shape adds its word
    /// here, or the gate test fails.
    private static let refusalVerbs: WordSet = settled.union(deferringWords).union(thereIsWords).union(dismissingAuxiliaries)
        .union(keepingAuxiliaries).union(refusingVerbs).union(knowingVerbs)
        .union(["muss", "braucht", "nicht", "not", "ist", "isch", "war", "interessiert", "interessieren", "kommt", "kommts"])

    /// "das ist nicht mein Anliegen", "that's not the issue" with `verb` at the negator: the
    /// index of the noun.
    private static func notTheConcernEnd(at verb: Int, _ words: [MessageWord]) -> Int? {
        guard verb >= 2, verb + 2 < words.count, words[verb].text == "nicht" || words[verb].text == "not",
              ["ist", "isch", "s", "is"].contains(words[verb - 1].text), ["das", "des", "es", "dies", "that", "it", "this"].contains(words[verb - 2].text),
              ["mein", "meine", "das", "die", "der", "my", "the"].contains(words[verb + 1].text),
              concernNouns.contains(words[verb + 2]) else { return nil }
        return verb + 2
    }

    private static let concernNouns: WordSet = [
        "anliegen", "problem", "thema", "frage", "punkt", "grund", "issue", "question", "point", "concern", "reason",
    ]

    /// Sets, not comparisons: these are asked of every word of a message the gate lets in,
    /// and the bit tests turn nearly all of them away.
    private static let deferringWords: WordSet = ["wait", "warten", "zeit"]
    private static let thereIsWords: WordSet = ["gibt", "gibts"]

    /// "can wait", "kann/können (auch/ruhig) warten", "hat (noch) Zeit" ending at `verb`.
    private static func deferring(at verb: Int, _ words: [MessageWord]) -> Bool {
        switch words[verb].text {
        case "wait":
            return words[verb - 1].text == "can"
        case "warten":
            var before = verb - 1
            if before > 0, ["auch", "ruhig", "noch", "gern", "gerne"].contains(words[before].text) { before -= 1 }
            return words[before].text == "kann" || words[before].text == "koennen"
        case "zeit":
            var before = verb - 1
            if before > 0, words[before].text == "noch" { before -= 1 }
            return words[before].text == "hat" || words[before].text == "haben"
        default:
            return false
        }
    }

    /// The last word of "gibt es (hier) nichts/nix" or "gibts nichts" after `verb`.
    private static func nothingThereEnd(after verb: Int, _ words: [MessageWord]) -> Int? {
        var index = verb + 1
        if words[verb].text == "gibt" {
            guard index < words.count, words[index].text == "es" || words[index].text == "s" else { return nil }
            index += 1
        }
        if index < words.count, ["hier", "da", "gar", "eigentlich", "wirklich"].contains(words[index].text) { index += 1 }
        guard index < words.count, words[index].text == "nichts" || words[index].text == "nix" else { return nil }
        return index
    }

    /// The "an" of "(auf X) kommt es (mir) (dabei) nicht (so) an" after the verb at `verb`;
    /// nil for anything else. "Das Paket kommt nicht an" is the complaint itself, so the
    /// clause must say to whom it does not matter or open with "auf" / "darauf".
    private static func mattersNotEnd(after verb: Int, _ words: [MessageWord], _ folded: String) -> Int? {
        var index = verb + 1
        func skip(_ choices: [String]) -> Bool {
            guard index < words.count, choices.contains(words[index].text) else { return false }
            index += 1
            return true
        }
        if words[verb].text == "kommt" { _ = skip(["es", "s"]) }
        var speaksOfWhom = skip(["mir", "uns", "einem"])
        if skip(["fuer"]) { _ = skip(["mich", "uns"]) }
        _ = skip(["dabei", "da", "hier", "gar", "ueberhaupt"])
        guard index < words.count, FunctionWords.negators.contains(words[index]) else { return nil }
        index += 1
        // "Stornieren kommt nicht in Frage, …": what is out of the question is not the request.
        if index + 1 < words.count, words[index].text == "in", words[index + 1].text == "frage" { return index + 1 }
        _ = skip(["so", "wirklich", "unbedingt", "sehr"])
        guard index < words.count, words[index].text == "an" else { return nil }
        var before = verb
        while !speaksOfWhom, before > 0, verb - before < 6, !breaks(between: words[before - 1], and: words[before], folded) {
            before -= 1
            speaksOfWhom = ["auf", "darauf", "drauf"].contains(words[before].text)
        }
        return speaksOfWhom ? index : nil
    }

    /// English verbs before "n't" or "not" that wave the thing before them aside.
    private static let dismissingAuxiliaries: WordSet = ["doesn", "does", "isn", "is", "don", "do", "aren", "are"]

    /// The last word of "doesn't interest me (much, at all)", "doesn't matter (to me)",
    /// "isn't enough (for me)", "isn't the problem/issue/point", "isn't what I want/need/mean",
    /// "isn't on the table", "isn't an option", after the auxiliary at `verb`; nil for anything else.
    private static func dismissalEnd(after verb: Int, _ words: [MessageWord]) -> Int? {
        let auxiliary = words[verb].text
        let negated = auxiliary.hasSuffix("n") ? words[verb + 1].text == "t" : words[verb + 1].text == "not"
        let first = verb + 2
        guard negated, first < words.count else { return nil }
        func word(_ index: Int) -> String? { index < words.count ? words[index].text : nil }
        var end: Int
        if auxiliary.hasPrefix("do") {
            if word(first) == "interest", word(first + 1) == "me" {
                end = first + 1
            } else if word(first) == "matter" {
                end = first
            } else {
                return nil
            }
        } else if word(first) == "enough" {
            end = first
        } else if word(first) == "the", let thing = word(first + 1), ["problem", "issue", "point", "question"].contains(thing) {
            end = first + 1
        } else if word(first) == "what", word(first + 1) == "i", let verb = word(first + 2), ["want", "need", "mean", "meant"].contains(verb) {
            end = first + 2
        } else if word(first) == "on", word(first + 1) == "the", word(first + 2) == "table" {
            // "Cancelling isn't on the table, …"
            end = first + 2
        } else if word(first) == "an", word(first + 1) == "option" {
            end = first + 1
        } else {
            return nil
        }
        // "… to me", "… for me", "… much", "… at all", "… right now"
        if word(end + 1) == "to" || word(end + 1) == "for", word(end + 2) == "me" {
            end += 2
        } else if word(end + 1) == "at", word(end + 2) == "all" {
            end += 2
        } else if let next = word(end + 1), ["much", "anymore", "really"].contains(next) {
            end += 1
        }
        return end
    }

    /// Known, done or of no matter: "ist mir egal", "ist mir klar", "ist erledigt".
    private static let settled: WordSet = ["egal", "klar", "bekannt", "erledigt", "geklaert"]

    /// `end`, or the word after it when that word is a verb (by its ending) that closes the
    /// clause: "will ich nicht *wissen*, …", "hab ich schon *abbestellt*, …".
    private static func closingVerb(after end: Int, _ words: [MessageWord], _ folded: String, endings: [String]) -> Int {
        guard end + 1 < words.count, endings.contains(where: { words[end + 1].text.hasSuffix($0) }),
              end + 2 == words.count || breaks(between: words[end + 1], and: words[end + 2], folded) else { return end }
        return end + 1
    }

    private static let keepingVerbs: WordSet = ["bleiben", "weiterlaufen", "weiterbestehen", "weitergehen"]
    private static let keepingAuxiliaries: WordSet = ["soll", "sollen", "kann", "darf", "duerfen", "koennen"]

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
        // "May I know how many points I have?" asks politely; it knows nothing yet.
        guard words[index].text == "i", index + 1 < words.count,
              index == 0 || !["may", "can", "could", "might", "shall", "should"].contains(words[index - 1].text) else { return nil }
        var end = index + 1
        if ["already", "do"].contains(words[end].text) { end += 1 }
        guard end < words.count, words[end].text == "know" else { return nil }
        end += 1
        while end < words.count, end - index <= maximumWords + 2 {
            if breaks(between: words[end - 1], and: words[end], folded) || contrasts(at: end, words)
                || startsWanting(at: end, words) {
                // A number they know is the order they ask about: it stays.
                let namesNumber = words[index..<end].contains { $0.text.utf8.contains { $0 >= 0x30 && $0 <= 0x39 } }
                return end - index > 2 && !namesNumber ? end : nil
            }
            end += 1
        }
        return nil
    }

    /// Words that put a matter off: "I'll review it separately", "I'll write later".
    private static let deferrals: WordSet = ["later", "separately"]
    /// Verbs of someone else taking a matter on: "die Rücksendung übernimmt meine Tochter".
    private static let handlingVerbs: WordSet = [
        "uebernimmt", "erledigt", "kuemmert", "regelt", "klaert", "checkt", "prueft", "handling", "handles", "sorting", "dealing", "checks",
    ]
    private static let otherPeople: WordSet = [
        "mann", "frau", "tochter", "sohn", "partner", "partnerin", "freund", "freundin", "kollege", "kollegin", "mutter", "vater",
        "schwester", "bruder", "nachbar", "nachbarin", "husband", "wife", "son", "daughter", "boyfriend", "girlfriend", "mum", "mom",
        "dad", "sister", "brother", "colleague", "flatmate", "roommate", "neighbour", "neighbor",
    ]
    /// Words that make a clause report what happened, so its "later" is no deferral ("I'll
    /// admit it came later than promised") and its helper no handover ("meine Tochter hat …").
    private static let pastMarkers: WordSet = [
        "habe", "hab", "hat", "haben", "hatte", "hatten", "war", "waren", "wurde", "wurden", "kam", "kamen", "ist", "sind", "did", "was", "were",
        "had", "came", "sent", "arrived", "got",
    ]

    /// "I'll review the dish separately, but …", "Die Rücksendung übernimmt meine Tochter. …",
    /// "my wife handles the orders, …", "too late to cancel, …": a clause that puts a matter
    /// off, hands it to someone else or finds it too late sets it aside; what follows is what
    /// the customer asks. Only a clause
    /// that another clause follows, read from its start.
    private static func setAsideEnd(at index: Int, _ words: [MessageWord], _ folded: String) -> Int? {
        guard index == 0 || breaks(between: words[index - 1], and: words[index], folded) else { return nil }
        var end = index
        var deferred = false, handled = false, person = false, past = false, tooLate = false
        while end < words.count, end - index <= 2 * maximumWords {
            if end > index, breaks(between: words[end - 1], and: words[end], folded) || contrasts(at: end, words) { break }
            let word = words[end]
            // "will you be open till later": a time asked about, not a deferral.
            if deferrals.contains(word), end == index || !["for", "till", "until"].contains(words[end - 1].text) { deferred = true }
            if handlingVerbs.contains(word) { handled = true }
            if otherPeople.contains(word), end > index, ["mein", "meine", "meiner", "my", "our", "unser", "unsere"].contains(words[end - 1].text) {
                person = true
            }
            if pastMarkers.contains(word) { past = true }
            // "Too late to cancel, …", "Zum Stornieren ist es zu spät, …": ruled out by the clock
            // ("kam eine Stunde zu spät" reports a delay; "is it too late to cancel?" asks).
            if word.text == "late", end > index, end + 1 < words.count, words[end - 1].text == "too",
               ["to", "for"].contains(words[end + 1].text) {
                tooLate = true
            }
            if word.text == "spaet", end > index, words[end - 1].text == "zu",
               words[index..<end].contains(where: { ["zum", "zur", "fuer"].contains($0.text) }) {
                tooLate = true
            }
            end += 1
        }
        guard end < words.count, end - index > 2, tooLate || !past else { return nil }
        if tooLate, ["is", "ist", "isn", "am", "bin", "can", "kann"].contains(words[index].text)
            || gap(between: words[end - 1], and: words[end], folded).contains(UInt8(ascii: "?")) {
            return nil
        }
        // Only the customer's own "I'll … later": a German "später" as often tells what happened
        // or asks about a time, and setting it aside lost more answers than it won.
        let own = (index..<(end - 1)).contains { words[$0].text == "i" && ["ll", "will"].contains(words[$0 + 1].text) }
        guard deferred && own || handled && person || tooLate else { return nil }
        return end
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
        let english = word == "not" && (next == "a" || next == "an" || next == "about" || next == "that")
            && (index == 0 || before == "its" || (before == "s" || before == "is") && ["it", "this", "that"].contains(twoBefore))
        // "this isn't a review, …" arrives as "isn" "t" "a".
        let afterContraction = index + 2 < words.count ? words[index + 2].text : ""
        let englishContracted = word == "isn" && next == "t" && ["a", "an", "about"].contains(afterContraction)
            && (index == 0 || ["it", "this", "that"].contains(before))
        // "Nothing's late, …", "it's not overdue yet – …", "nichts ist verspätet, …": the
        // customer says the delivery is not late, and asks something else.
        let lateLabel = lateLabelLength(at: index, words)
        guard german || aboutGerman || english || englishContracted || lateLabel > 0 else { return nil }
        var end = index + (englishContracted ? 2 : lateLabel > 0 ? lateLabel : 1)
        // "it's not a promo code I'm after – …": the label may run a little longer.
        while end < words.count, end - index <= maximumWords + 2 {
            if breaks(between: words[end - 1], and: words[end], folded) { return end - index > 1 ? end : nil }
            if contrasts(at: end, words) || startsWanting(at: end, words) { return end - index > 1 ? end : nil }
            end += 1
        }
        // "…, so this isn't a warranty thing.": a label rejected at the end of the message,
        // after a clause that said what happened.
        if end == words.count, end - index > 1, let opener = (0..<index).last(where: { $0 == 0 || breaks(between: words[$0 - 1], and: words[$0], folded) }),
           opener > 0 {
            return end
        }
        return nil
    }

    /// Words that call a delivery late.
    private static let lateWords: WordSet = ["late", "overdue", "delayed", "verspaetet", "ueberfaellig", "spaet"]

    /// The words of a rejected "late" at `index` ("nothing s late", "not overdue",
    /// "nichts ist zu spät", "nicht verspätet"), or 0.
    private static func lateLabelLength(at index: Int, _ words: [MessageWord]) -> Int {
        func text(_ offset: Int) -> String { index + offset < words.count ? words[index + offset].text : "" }
        let word = words[index].text
        var label = 1
        switch word {
        case "nothing", "nichts": label = ["s", "is", "ist"].contains(text(1)) ? 2 : 0
        case "not", "nicht": label = 1
        case "isn": label = text(1) == "t" ? 2 : 0
        default: return 0
        }
        guard label > 0 else { return 0 }
        if ["noch", "yet"].contains(text(label)) { label += 1 }
        if text(label) == "zu", text(label + 1) == "spaet" { return label + 2 }
        return text(label) != "spaet" && lateWords.contains(text(label)) ? label + 1 : 0
    }

    /// The folded text with the negated spans blanked out (bytes become spaces, so every
    /// offset, and the way back to the original, stays as it was).
    public static func blank(_ folded: String, _ spans: [Span]) -> String {
        guard !spans.isEmpty else { return folded }
        var bytes = Array(folded.utf8)
        for span in spans { for offset in span.range { bytes[offset] = 0x20 } }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let contractions: WordSet = ["don", "didn", "doesn", "isn", "wasn"]

    private static func opensNegation(at index: Int, _ words: [MessageWord]) -> Bool {
        let word = words[index].text
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
    private static let reportsAbsence: WordSet = [
        "im", "drin", "dabei", "enthalten", "beigelegt", "mitgeliefert", "angekommen", "gekommen", "geliefert", "da",
        "included", "there", "inside", "arrived", "delivered", "see", "find", "receive", "received",
    ]


    private static func opensReplacement(at index: Int, _ words: [MessageWord]) -> Bool {
        let word = words[index].text
        guard FunctionWords.insteadOf.contains(word) else { return false }
        if word == "instead" { return index + 1 < words.count && words[index + 1].text == "of" }
        if word == "rather" { return index + 1 < words.count && words[index + 1].text == "than" }
        // "statt" at the very start ("statt dessen") or alone is no replacement.
        return index + 1 < words.count
    }

    /// "Statt umzutauschen schick ich sie zurück", "anstatt zu tauschen": a replaced action
    /// (a zu-infinitive) is always a wish, also at the start of the message, where "statt der
    /// schwarzen Schuhe kamen braune" reports a delivery.
    private static func replacesAnAction(at index: Int, _ words: [MessageWord]) -> Bool {
        guard index + 1 < words.count, words[index].text == "statt" || words[index].text == "anstatt" else { return false }
        let next = words[index + 1].text
        if next == "zu" { return true }
        // "um-zu-tauschen", "zurueck-zu-schicken": "zu" inside, after a prefix of two letters or more.
        let bytes = next.utf8
        guard bytes.count >= 8, next.hasSuffix("en") else { return false }
        return zip(bytes.dropFirst(2).dropLast(4), bytes.dropFirst(3).dropLast(3)).contains { $0 == UInt8(ascii: "z") && $1 == UInt8(ascii: "u") }
    }

    /// A word that turns to what is wanted. "nur noch" and "only just" report a state
    /// ("da steht nur noch: Zugang gesperrt") and turn to nothing.
    static func contrasts(at index: Int, _ words: [MessageWord]) -> Bool {
        guard FunctionWords.contrast.contains(words[index]) else { return false }
        guard index + 1 < words.count else { return true }
        let next = words[index + 1].text
        return !(next == "noch" && words[index].text == "nur" || next == "just" && words[index].text == "only")
    }

    private static func hasContrast(after index: Int, _ words: [MessageWord], skipping: Int? = nil) -> Bool {
        for later in (index + 1)..<words.count where later != skipping && later != skipping.map({ $0 + 1 }) {
            if contrasts(at: later, words) || startsWanting(at: later, words) { return true }
        }
        return false
    }

    /// Verbs of something having arrived: with them, `statt` names what should have come.
    private static let deliveryVerbs: WordSet = [
        "kam", "kamen", "kommt", "geliefert", "bekommen", "erhalten", "geschickt", "gekommen", "drin", "war", "waren",
        "sent", "got", "received", "came", "arrived", "delivered", "shipped", "was", "were",
    ]

    private static func reportsDelivery(_ words: [MessageWord]) -> Bool { words.contains { deliveryVerbs.contains($0) } }

    /// The first words of `FunctionWords.wanting`: most words open none, and for them the
    /// two words are never joined into a new string.
    private static let wantingOpeners = WordSet(FunctionWords.wanting.map { String($0.prefix { $0 != " " }) })

    static func startsWanting(at index: Int, _ words: [MessageWord]) -> Bool {
        guard index + 1 < words.count else { return false }
        if wantingOpeners.contains(words[index]), FunctionWords.wanting.contains(words[index].text + " " + words[index + 1].text) { return true }
        // "keine Geschenkkarte, ich hab einen Rabattcode": having a thing turns to it, having
        // done something ("ich habe am 3. bestellt") does not.
        return index + 2 < words.count && words[index].text == "ich" && ["hab", "habe"].contains(words[index + 1].text)
            && ["einen", "nen", "ne", "eine", "ein", "n"].contains(words[index + 2].text)
    }

    /// The bytes between two words of the folded text.
    private static func gap(between left: MessageWord, and right: MessageWord, _ folded: String) -> Substring.UTF8View {
        let utf8 = folded.utf8
        let from = utf8.index(utf8.startIndex, offsetBy: left.range.upperBound)
        return folded[from..<utf8.index(from, offsetBy: max(0, right.range.lowerBound - left.range.upperBound))].utf8
    }

    /// Clause punctuation between two words ends a span.
    private static func breaks(between left: MessageWord, and right: MessageWord, _ folded: String) -> Bool {
        let gap = gap(between: left, and: right, folded)
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
