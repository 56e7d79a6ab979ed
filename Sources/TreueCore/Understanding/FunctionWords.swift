/// Words that carry no topic (articles, pronouns, auxiliaries, particles, greetings and
/// politeness), in their folded form. They are never corrected and never scored; an
/// intent is told apart by what remains.
enum FunctionWords {
    static let german: WordSet = [
        // Common words and months a customer writes in passing: read as written, never as a
        // shop word one letter away ("selten" is no "selben", "februar" no "february").
        "selten", "oft", "manchmal", "januar", "februar", "maerz", "april", "mai", "juni", "juli", "august", "september",
        "oktober", "november", "dezember",
        "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines", "nen", "ne", "n",
        "ich", "du", "er", "sie", "es", "wir", "ihr", "mich", "mir", "dich", "dir", "uns", "euch", "ihn", "ihm", "ihnen",
        "mein", "meine", "meinen", "meinem", "meiner", "meines", "dein", "deine", "sein", "seine", "unser", "unsere", "unseren",
        "euer", "eure", "euren", "eurem", "ihre", "ihren", "ihrem", "ihrer", "man", "ick", "i", "mi", "mei", "mia",
        "bin", "bist", "ist", "sind", "seid", "war", "waren", "wäre", "waere", "hab", "habe", "hast", "hat", "haben", "habt", "hatte",
        "werde", "wird", "werden", "wurde", "wurden", "kann", "kannst", "koennen", "könnt", "koennt", "muss", "musst", "muessen",
        "soll", "sollte", "will", "willst", "wollen", "moechte", "mochte", "moecht", "möchte", "darf", "duerfen", "tu", "tun", "tut",
        "und", "oder", "aber", "auch", "noch", "schon", "mal", "doch", "ja", "halt", "eben", "eigentlich", "bitte", "bite", "danke",
        "so", "dann", "denn", "da", "hier", "jetzt", "nun", "gerade", "grad", "sehr", "ganz", "nur", "mehr", "gern", "gerne",
        "zu", "zum", "zur", "mit", "von", "vom", "bei", "beim", "fuer", "für", "auf", "aus", "an", "am", "im", "in", "ins", "um",
        "ueber", "über", "nach", "vor", "durch", "gegen", "ohne", "bis", "als", "wie", "dass", "ob", "wenn", "weil", "was", "wer",
        "hallo", "hi", "hey", "moin", "servus", "gruezi", "grueezi", "tag", "guten", "morgen", "abend", "liebe", "lieber",
        "liebes", "team", "hilfe", "frage", "kurze", "kurz", "mfg", "gruss", "gruesse", "vg", "lg", "bzw", "etc", "ok", "okay",
        "irgendwie", "irgendwas", "zusammen", "sondern", "leute", "alle", "allerseits", "ihr", "moin", "na", "eigentlich", "einfach", "wieder", "immer", "etwas", "was", "ne", "nee", "jo",
    ]

    static let english: WordSet = [
        "the", "a", "an", "i", "me", "my", "mine", "you", "your", "yours", "he", "she", "it", "its", "we", "us", "our", "they",
        "them", "their", "this", "that", "these", "those", "is", "are", "was", "were", "be", "been", "being", "am", "im", "s",
        "do", "does", "did", "have", "has", "had", "having", "will", "would", "shall", "should", "can", "could", "may", "might",
        "must", "d", "ll", "ve", "re", "m", "t", "and", "or", "but", "if", "so", "then", "than", "too", "also", "just", "only",
        "very", "really", "still", "yet", "already", "please", "pls", "plz", "thanks", "thx", "of", "to", "for", "on", "in",
        "at", "by", "with", "from", "into", "about", "as", "up", "out", "off", "over", "any", "some", "there", "here", "now",
        "hello", "hi", "hey", "hiya", "dear", "team", "guys", "folks", "quick", "question", "help", "u", "ur", "ya", "got",
        "get", "gonna", "wanna", "everyone", "there", "all", "want", "need", "like", "id", "ok", "okay", "oh", "um", "well", "anyone", "someone", "again",
    ]

    static let all: WordSet = german.union(english)

    /// Function words of one language only ("ist", "the"): what a message is written in.
    static let onlyGerman = WordSet(german.filter { !english.contains($0) })
    static let onlyEnglish = WordSet(english.filter { !german.contains($0) })

    /// The language a message's function words clearly belong to (at least two of them,
    /// twice as many as of the other language), else nil. An answer chosen by examples or
    /// the model otherwise takes the language of the nearest example, which may share a
    /// single word with the message and be written in the other language.
    static func language(of words: [String]) -> String? {
        verdict(words.lazy.map { onlyGerman.contains($0) ? 1 : onlyEnglish.contains($0) ? 2 : 0 })
    }

    /// The same, from the keys the scan made (no word hashed twice).
    static func language(of words: [MessageWord]) -> String? {
        verdict(words.lazy.map { onlyGerman.contains($0) ? 1 : onlyEnglish.contains($0) ? 2 : 0 })
    }

    /// 1 for a German function word, 2 for an English one.
    private static func verdict<Marks: Sequence<Int>>(_ marks: Marks) -> String? {
        var german = 0, english = 0
        for mark in marks {
            if mark == 1 { german += 1 } else if mark == 2 { english += 1 }
        }
        if german >= 2, german >= 2 * english { return "de" }
        if english >= 2, english >= 2 * german { return "en" }
        return nil
    }

    /// Words that open a negated span ("nicht stornieren, nur …").
    static let negators: WordSet = [
        "nicht", "net", "ned", "nich", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nichts", "nix", "keineswegs",
        "not", "no", "dont", "didnt", "doesnt", "isnt", "wasnt", "never",
        // Scots: "this isnae about the address", "I dinnae want a refund".
        "isnae", "wasnae", "dinnae", "didnae", "disnae",
    ]

    /// Words after which the negated thing is replaced ("statt Geld zurück").
    static let insteadOf: WordSet = ["statt", "anstatt", "anstelle", "instead", "rather"]

    /// Words that start the part a customer actually wants.
    static let contrast: WordSet = [
        "sondern", "but", "nur", "bloss", "just", "only", "lieber", "stattdessen", "vielmehr", "rather", "instead", "gegenteil", "contrary",
    ]

    /// Two-word openings that say what is wanted instead ("ich brauche", "i want").
    static let wanting: WordSet = [
        "ich brauche", "ich brauch", "ich moechte", "ich mochte", "ich will", "ich haette", "ich suche",
        "i want", "i need", "i d", "i would", "id like", "i just", "we need", "we want", "ich wollte",
        "ich mein", "ich meine", "mich interessiert", "interessiert mich", "sag mir", "sagen sie", "tell me", "i mean",
        "ich frage", "ich frag", "erklaert mir", "erklaer mir", "erklaeren sie", "explain what",
    ]
}
