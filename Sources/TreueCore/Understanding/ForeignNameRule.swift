/// Other companies the knowledge base has never heard of. A customer writes "Hetzner
/// Rechnung kam doppelt" or "Blinkist subscription renewed": a name no text of ours uses,
/// written like a name, right before what one has with a company (an Abo, a Vertrag, a
/// Konto, a Rechnung, a subscription, an account). No brand list can name every company,
/// but the knowledge base knows every word its own business uses, so a name it does not
/// know beside a service word is someone else's business.
///
/// The rule stays out of the way of our own customers: it never fires when the message
/// names us or its order with us ("bei euch", "eure", "your", an order number, "Bestellung",
/// "Lieferung", "order", "delivery", a return, paying or buying), and a word is no name when
/// the shop's own texts use it (examples, phrasings, titles, answers, patterns, vocabulary
/// and settings outside the out-of-scope layer: "Maestro", "Revolut", "Klarna"), when it is
/// an inflection or a misspelling of such a word, or when it ends in one ("Winterjacke").
public struct ForeignNameRule: Sendable {
    /// The words the shop's own texts use, and their stems.
    let ourWords: Set<String>
    let ourStems: Set<String>

    /// What the rule found: the name and the service word it stands before (or after, with
    /// "von", "bei", "from", "with", "at" between).
    public struct Finding: Sendable, Equatable {
        public let name: String
        public let serviceWord: String
        /// The language of the service word, when it is only one language's word.
        public let language: String?
    }

    /// What one has with a company. The language where the word belongs to one. "App" is
    /// not one: customers name our own app by their phone ("Android App stürzt ab").
    static let serviceWords: [String: String?] = [
        "abo": "de", "abos": "de", "abonnement": "de", "jahresabo": "de", "familienabo": "de", "vertrag": "de",
        "vertrags": "de", "konto": "de", "kundenkonto": "de", "passwort": "de", "kennwort": "de",
        "mitgliedschaft": "de", "tarif": "de", "rechnung": "de", "rechnungen": "de", "karte": "de", "punkte": "de",
        "buchung": "de", "termin": "de", "versicherung": "de", "kuendigung": "de", "gutschein": "de", "guthaben": "de",
        "subscription": "en", "membership": "en", "password": "en", "bill": "en", "plan": "en", "contract": "en",
        "rewards": "en", "booking": "en", "appointment": "en", "insurance": "en", "points": "en", "invoice": "en",
        "account": nil, "login": nil, "premium": nil, "card": nil,
    ]
    /// The service words as a set: most messages have none, and the set says so without
    /// hashing each word.
    static let serviceWordSet = WordSet(serviceWords.keys)

    /// Words that announce a topic ("Thema Abo kündigen", "Frage Rechnung", "Re: Konto"):
    /// capitalised like a name, never one.
    static let topicWords: WordSet = [
        "thema", "betreff", "betr", "bzgl", "bezueglich", "frage", "fragen", "anliegen", "problem", "probleme",
        "info", "infos", "hilfe", "wegen", "stichwort", "topic", "subject", "question", "re", "regarding", "issue", "help",
    ]

    /// What a company does to a customer, said right after its name at the start of an
    /// English message ("Takealot sent me the wrong charger", "Kmart won't give me back
    /// …"): the customer tells us about business with that company. Words of delivering
    /// and saying are left out: an unknown courier does those with our parcels.
    static let agentVerbs: WordSet = [
        "sent", "refused", "refuses", "refusing", "cancelled", "canceled", "charged", "overcharged", "billed", "kept",
        "keeps", "took", "declined", "blocked", "suspended", "closed", "increased", "raised",
    ]
    /// Negated auxiliaries before the apostrophe ("won't" is scanned as "won", "t").
    static let agentNegations: WordSet = ["won", "wouldn", "didn", "hasn", "haven", "doesn", "don"]
    /// People a customer names at the start of a message: never a company, whatever the
    /// knowledge base knows of them ("Grandma sent me a gift card").
    static let people: WordSet = [
        "mum", "mom", "mam", "mummy", "mommy", "dad", "daddy", "grandma", "grandpa", "granny", "gran", "nan", "nana",
        "grandad", "granddad", "wife", "husband", "hubby", "partner", "boyfriend", "girlfriend", "fiance", "fiancee",
        "friend", "mate", "sister", "brother", "sis", "bro", "son", "daughter", "aunt", "auntie", "uncle", "cousin",
        "niece", "nephew", "boss", "colleague", "neighbour", "neighbor", "flatmate", "roommate", "postman", "postie",
        "driver", "courier", "someone", "somebody", "everyone", "nobody", "they", "he", "she", "it", "bank",
    ]

    /// Words between a service word and the name after it ("Rechnung von Hetzner").
    static let linkWords: WordSet = ["von", "vom", "bei", "beim", "from", "with", "at"]

    /// Words that speak to us.
    static let addressWords: WordSet = ["euch", "eure", "euer", "eurem", "euren", "eurer", "eures", "your", "yours"]

    /// Words that speak to us, "you" too: a message with one may be ours whatever a rule or
    /// the learned model makes of it ("you cancelled my order and kept the deposit").
    static let speaksToUs: WordSet = addressWords.union(["you", "u", "ihr", "ihnen", "yinz", "youse", "yous", "yall", "ya"])

    /// Words that make a message ours: it names us, our order or paying for something.
    static let shopWords: WordSet = addressWords.union([
        "bestellung", "bestellungen", "bestellt", "bestellen", "bestellnummer", "lieferung", "geliefert", "retoure",
        "ruecksendung", "warenkorb", "zahlen", "bezahlen", "kaufen",
        "order", "orders", "ordered", "delivery", "delivered", "return", "returned", "checkout", "cart", "pay", "buy", "shop",
    ])

    public init(ourWords: Set<String>) {
        self.ourWords = ourWords
        self.ourStems = Set(ourWords.map(WordStemmer.stem))
    }

    /// Collects the shop's own words from a knowledge base: everything but the out-of-scope
    /// layer (its intents, their phrasings and the vocabulary of their files).
    public init(content: KnowledgeBaseContent) {
        var texts: [String] = Array(content.settings.values)
        var patterns: [String] = []
        var layerFiles = Set<String>()
        var layerIDs = Set<String>()
        for intent in content.intents {
            if intent.action == .outOfScope {
                layerFiles.insert(intent.location.file)
                layerIDs.insert(intent.id)
                continue
            }
            texts += intent.examples.values.joined()
            texts += intent.title.byLanguage.values
            texts += intent.suggestion?.byLanguage.values.map { $0 } ?? []
            for byLanguage in intent.answers.variants.values { texts += byLanguage.values.joined() }
            patterns += intent.patterns.map(\.source)
        }
        texts += content.phrasings.filter { !layerIDs.contains($0.intent) }.map(\.text)
        patterns += content.vocabulary.filter { !layerFiles.contains($0.location.file) }.map(\.pattern)
        var words = Set<String>()
        for text in texts { words.formUnion(MessageWords.words(of: text)) }
        for pattern in patterns { words.formUnion(Understanding.literalWords(of: pattern, minimumLength: 2)) }
        self.init(ourWords: words)
    }

    /// Whether the shop's texts use the word, an inflection of it, the word a misspelling
    /// stands for, or the word it ends in (German compounds).
    func isOurs(_ word: String, corrector: SpellingCorrector?) -> Bool {
        // A German noun of amount ("einem Haufen Punkte") is capitalised but names no company.
        if ourWords.contains(word) || ourStems.contains(WordStemmer.stem(word)) || Self.amountNouns.contains(word) { return true }
        if let meant = corrector?.suggestion(for: word), ourWords.contains(meant) { return true }
        let letters = Array(word)
        guard letters.count > 5 else { return false }
        for start in 2...(letters.count - 4) where ourWords.contains(String(letters[start...])) { return true }
        return false
    }

    static let amountNouns: WordSet = ["haufen", "batzen", "stapel", "menge", "schwung", "ladung", "berg", "sack"]

    /// The first unknown name beside a service word, or nil.
    /// - Parameters:
    ///   - folded: the folded message (case kept), as the words were scanned from it.
    ///   - words: the message's words that are not negated.
    ///   - corrector: reads a misspelt word as the word it stands for.
    public func find(in folded: String, words: [MessageWord], corrector: SpellingCorrector? = nil) -> Finding? {
        let isOurs = { (word: String) in self.isOurs(word, corrector: corrector) }
        if let agent = findAgent(in: folded, words: words, isOurs: isOurs) { return agent }
        if let provider = findProvider(in: folded, words: words, isOurs: isOurs) { return provider }
        guard words.contains(where: { Self.serviceWordSet.contains($0) }),
              !words.contains(where: { Self.shopWords.contains($0) || Self.isOrderNumber($0.text) }) else { return nil }
        let bytes = Array(folded.utf8)
        for (index, word) in words.enumerated() {
            // The set first: it turns most words away without hashing them.
            guard Self.serviceWordSet.contains(word), let language = Self.serviceWords[word.text] else { continue }
            // "Hetzner Rechnung", "Hetzner-Rechnung"
            if index > 0, Self.adjacent(words[index - 1], word, in: bytes) {
                if isName(words[index - 1], in: bytes, isOurs: isOurs) {
                    return Finding(name: words[index - 1].text, serviceWord: word.text, language: language)
                }
                // "Duolingo Plus Abo": a name of two capitalised words, the first one unknown
                if index > 1, Self.adjacent(words[index - 2], words[index - 1], in: bytes),
                   isName(words[index - 1], in: bytes, isOurs: { _ in false }),
                   isName(words[index - 2], in: bytes, isOurs: isOurs) {
                    return Finding(name: words[index - 2].text + " " + words[index - 1].text, serviceWord: word.text, language: language)
                }
            }
            // "Rechnung von Hetzner"
            // "… on my account from Hollis to Varga", "Konto von Meier auf Schulz": a change
            // of the customer's own name, not a company.
            if index + 2 < words.count, Self.linkWords.contains(words[index + 1]),
               index + 3 >= words.count || !Self.changeWords.contains(words[index + 3]),
               isName(words[index + 2], in: bytes, isOurs: isOurs) {
                return Finding(name: words[index + 2].text, serviceWord: word.text, language: language)
            }
        }
        // "Bei Doctolib komm ich nicht mehr in mein Konto": the name after "bei", "at" or
        // "with", the service word elsewhere in the same message.
        for index in words.indices.dropFirst() where Self.placeWords.contains(words[index - 1]) {
            guard isName(words[index], in: bytes, isOurs: isOurs),
                  let service = words.first(where: { Self.serviceWordSet.contains($0) }) else { continue }
            return Finding(name: words[index].text, serviceWord: service.text, language: Self.serviceWords[service.text] ?? nil)
        }
        return nil
    }

    /// What follows the old value in "from X to Y", "von X auf/zu/in Y".
    static let changeWords: WordSet = ["to", "into", "auf", "zu", "in"]

    /// Words before a company's name that place the customer's business with it.
    static let placeWords: WordSet = ["bei", "beim", "at", "with"]

    /// An unknown name opening an English message, doing something to the customer
    /// (`agentVerbs`). The message must not speak to us or carry an order number.
    func findAgent(in folded: String, words: [MessageWord], isOurs: (String) -> Bool) -> Finding? {
        // The verb first: it rules out nearly every message for one lookup.
        guard words.count >= 3 else { return nil }
        let verb: String
        if Self.agentVerbs.contains(words[1]) {
            verb = words[1].text
        } else if words[2].text == "t", Self.agentNegations.contains(words[1]) {
            verb = words[1].text + "'t"
        } else {
            return nil
        }
        let bytes = Array(folded.utf8)
        // A code ("SPRING20 keeps saying expired") or an opener ("Eish, sent …") is no agent.
        guard bytes[..<words[0].range.lowerBound].allSatisfy({ $0 == 0x20 }), Self.adjacent(words[0], words[1], in: bytes),
              words[0].text.unicodeScalars.allSatisfy(\.properties.isAlphabetic), !Self.people.contains(words[0]),
              !words.contains(where: { Self.speaksToUs.contains($0) || Self.isOrderNumber($0.text) }),
              isName(words[0], in: bytes, isOurs: isOurs) else { return nil }
        return Finding(name: words[0].text, serviceWord: verb, language: "en")
    }

    /// Determiners that open a message naming who acted ("The upholsterer sent …",
    /// "Der Maler hat … gestrichen"), with the message's language.
    static let openingDeterminers: [String: String] = [
        "the": "en", "my": "en", "our": "en",
        "der": "de", "die": "de", "das": "de", "mein": "de", "meine": "de", "unser": "de", "unsere": "de", "unsre": "de",
    ]
    /// What a trade or a business does to a customer, right after it in English.
    /// Negations and "keeps" are left out: products do those too ("the zip keeps breaking");
    /// so is wanting: "my accountant wants a document showing the VAT" asks us for an invoice.
    static let providerVerbs: WordSet = [
        "sent", "refused", "refuses", "cancelled", "canceled", "charged", "overcharged", "billed", "invoiced", "declined",
        "painted", "spelled", "spelt", "resoled", "lost", "charge", "charges", "collected", "collect",
    ]
    /// The same in German, right after the noun ("Der Kammerjäger berechnet …"); not
    /// "will" or "verlangt", for the same reason as "wants".
    static let providerVerbsGerman: WordSet = ["schuldet", "berechnet", "berechnete", "weigert"]
    /// Participles that finish "Der X hat …" as something done to the customer.
    static let providerParticiples: WordSet = [
        "geschickt", "berechnet", "abgebucht", "eingezogen", "storniert", "abgesagt", "gekuendigt", "gesperrt",
        "verschlampt", "verloren", "vergessen", "erhoeht", "gestrichen", "besohlt", "gefaerbt", "montiert", "ausgestellt",
        "zerkratzt", "verwechselt", "vertauscht",
    ]
    /// People a German message opens with: what they do is family business or ours
    /// ("Meine Tante hat mir eine Geschenkkarte von euch geschenkt"), never a trade's.
    static let germanPeople: WordSet = [
        "mutter", "mama", "vater", "papa", "mann", "frau", "sohn", "tochter", "bruder", "schwester", "oma", "opa", "tante",
        "onkel", "freund", "freundin", "kumpel", "nachbar", "nachbarin", "kollege", "kollegin", "partner", "partnerin",
        "cousin", "cousine", "neffe", "nichte", "enkel", "enkelin", "kind", "kinder", "schwiegermutter", "schwiegervater",
        "paketbote", "postbote", "bote", "fahrer", "zusteller", "kurier",
    ]

    /// Generic heads of a two-word business name ("mama shop", "bike club"): ours alone,
    /// another business after a word the knowledge base does not know.
    static let businessHeads: WordSet = [
        "shop", "store", "club", "centre", "center", "studio", "salon", "garage", "company", "service", "stall",
        "cleaner", "cleaners", "repairer", "laden", "verein", "markt",
    ]
    /// Auxiliaries between the business and what it did ("cleaner's charged", "has sent").
    static let providerAuxiliaries: WordSet = ["s", "has", "have"]
    static let germanAuxiliaries: WordSet = ["hat", "haben", "hot", "hett", "hät"]

    /// A trade or business named by a common noun the knowledge base does not know, opening
    /// the message and doing something to the customer: "The upholsterer sent my armchair back
    /// in mustard", "Der Schuster hat meine Stiefel zerkratzt", "Window cleaner's charged me
    /// for the back", "Eislaufhalle hat die Pauschale doppelt abgebucht". Our own people and
    /// parts (courier, seller, Kundenservice, the app) are words the shop's texts use.
    func findProvider(in folded: String, words: [MessageWord], isOurs: (String) -> Bool) -> Finding? {
        guard words.count >= 4 else { return nil }
        let determiner = Self.openingDeterminers[words[0].text]
        let start = determiner == nil ? 0 : 1
        // One noun or two; the last before the verb names the business. The verb first: it
        // rules out nearly every message in one lookup per place.
        for head in start...(start + 1) where head + 2 < words.count {
            guard Self.providerWords.contains(words[head + 1]),
                  let (acts, language) = providerAct(after: head, words, determiner: determiner) else { continue }
            let bytes = Array(folded.utf8)
            guard bytes[..<words[0].range.lowerBound].allSatisfy({ $0 == 0x20 }) else { return nil }
            let nouns = words[start...head]
            // "Eish, sent …": a comma before the verb leaves an opener, no business.
            guard zip(nouns, nouns.dropFirst()).allSatisfy({ Self.adjacent($0, $1, in: bytes) }),
                  bytes[words[head].range.upperBound..<words[head + 1].range.lowerBound].allSatisfy({ [0x20, 0x27, 0x80, 0x99, 0xE2].contains($0) }),
                  nouns.allSatisfy({ noun in
                      noun.text.count >= 3 && noun.text.unicodeScalars.allSatisfy(\.properties.isAlphabetic)
                          && !Self.people.contains(noun.text) && !Self.germanPeople.contains(noun.text)
                          && !FunctionWords.all.contains(noun.text) && !FunctionWords.negators.contains(noun.text)
                  }),
                  !words.contains(where: { Self.speaksToUs.contains($0) || Self.isOrderNumber($0.text) }) else { return nil }
            let name = words[head].text
            let unknown = name.count >= 4 && !isOurs(name)
                || head > start && Self.businessHeads.contains(name) && !isOurs(words[head - 1].text)
            guard unknown else { continue }
            return Finding(name: nouns.map(\.text).joined(separator: " "), serviceWord: acts, language: language)
        }
        return nil
    }

    /// Every word that can follow the business: verbs and auxiliaries of both languages.
    static let providerWords: WordSet = providerVerbs.union(providerVerbsGerman).union(providerAuxiliaries).union(germanAuxiliaries)

    /// What the business right before `head + 1` did, and the language that says so.
    private func providerAct(after head: Int, _ words: [MessageWord], determiner: String?) -> (String, String)? {
        var verb = head + 1
        if determiner != "de", Self.providerAuxiliaries.contains(words[verb]), verb + 1 < words.count { verb += 1 }
        let text = words[verb].text
        // Without an article the first word may be a product ("Charger sent was the wrong
        // one"): then the business must have done it to the customer ("sent me").
        if determiner != "de", Self.providerVerbs.contains(text),
           determiner != nil || verb + 1 < words.count && ["me", "us", "my", "our"].contains(words[verb + 1].text) {
            return (text, "en")
        }
        guard determiner != "en" else { return nil }
        if Self.providerVerbsGerman.contains(text) { return (text, "de") }
        guard Self.germanAuxiliaries.contains(text), verb + 1 < words.count,
              let participle = words[(verb + 1)...].prefix(10).first(where: { Self.providerParticiples.contains($0) }) else { return nil }
        return (participle.text, "de")
    }

    /// Written like a name (a capital first letter, or letters and digits mixed like "N26"),
    /// not a function word, and no word of ours.
    func isName(_ word: MessageWord, in bytes: [UInt8], isOurs: (String) -> Bool) -> Bool {
        let text = word.text
        guard text.count >= 2, !FunctionWords.all.contains(text), !FunctionWords.negators.contains(text), !Self.topicWords.contains(text),
              !text.unicodeScalars.allSatisfy({ $0.properties.numericType != nil }), !Self.isQuantity(text) else { return false }
        let mixed = text.unicodeScalars.contains { $0.properties.numericType != nil }
        let first = String(decoding: bytes[word.range], as: UTF8.self).unicodeScalars.first
        guard mixed || first?.properties.isUppercase == true else { return false }
        return !isOurs(text)
    }

    /// Nothing but spaces or a hyphen between the two words.
    static func adjacent(_ a: MessageWord, _ b: MessageWord, in bytes: [UInt8]) -> Bool {
        bytes[a.range.upperBound..<b.range.lowerBound].allSatisfy { $0 == 0x20 || $0 == 0x2D }
            && b.range.lowerBound > a.range.upperBound
    }

    /// "3k", "2x", "10er", "5min": a number with a unit is no name.
    static func isQuantity(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let firstLetter = scalars.firstIndex(where: { $0.properties.numericType == nil }), firstLetter > 0 else { return false }
        return scalars[firstLetter...].allSatisfy { $0.properties.isAlphabetic } && scalars.count - firstLetter <= 3
    }

    static func isOrderNumber(_ text: String) -> Bool {
        // Asked of every word: an ASCII byte other than a digit decides at once, and ASCII
        // digits need no count of characters (the only ASCII scalars with a numeric type).
        var ascii = true
        for byte in text.utf8 {
            if byte < 0x80 {
                if byte < 0x30 || byte > 0x39 { return false }
            } else {
                ascii = false
            }
        }
        if ascii { return (6...10).contains(text.utf8.count) }
        return (6...10).contains(text.count) && text.unicodeScalars.allSatisfy { $0.properties.numericType != nil }
    }
}
