/// Everyday words a knowledge base for a shop rarely uses, in their folded form: life, time,
/// weather, food, family, places. The spelling stage counts them as known, so a customer's
/// "schlafen" is never read as the shop's "schaden", nor "Kassel" as "Kasse" or "realised"
/// as "raised". They are still scored by the example stage like any word.
enum EverydayWords {
    static let german: WordSet = [
        "mitte", "ander", "andere", "anderen", "anderer", "anderes", "alter", "sauber", "anger", "digga",
        // doing and being
        "schlafen", "schlaf", "schlafe", "essen", "esse", "isst", "trinken", "kochen", "koche", "backen", "arbeiten", "arbeite",
        "arbeit", "spielen", "spiele", "lesen", "lese", "lernen", "lerne", "reisen", "fahren", "fahre", "laufen", "rennen",
        "singen", "tanzen", "schwimmen", "wandern", "malen", "putzen", "duschen", "baden", "feiern", "heiraten", "umziehen",
        "regnet", "regnen", "regen", "schneit", "schnee", "sonne", "sonnig", "wetter", "himmel", "wolken", "wind", "gewitter",
        "kalt", "warm", "heiss", "muede", "hunger", "hungrig", "durst", "krank", "gesund", "erkaeltet", "kopfschmerzen",
        "traurig", "gluecklich", "langweilig", "lustig", "witzig", "nervoes", "gestresst", "verliebt",
        // people and animals
        "kinder", "kind", "mutter", "vater", "eltern", "mama", "papa", "oma", "opa", "bruder", "schwester", "tochter", "sohn",
        "freundin", "freund", "freunde", "nachbar", "nachbarin", "kollege", "kollegin", "chef", "chefin", "hund", "hunde",
        "katze", "katzen", "tier", "tiere", "pferd", "vogel",
        // places and things
        "haus", "wohnung", "garten", "balkon", "auto", "fahrrad", "stadt", "dorf", "urlaub", "ferien", "schule", "studium",
        "hausaufgaben", "hausaufgabe", "film", "filme", "serie", "musik", "lied", "buch", "buecher", "fussball", "sport",
        "fruehstueck", "mittagessen", "abendessen", "kaffee", "bier", "wein", "wasser", "pizza", "rezept", "kuchen", "brot",
        "nudeln", "suppe", "salat", "wochenende", "leben", "liebe", "welt", "baum", "blume", "blumen", "meer", "berg", "berge",
        "strand", "nacht", "gedicht", "geschichte", "witz", "witze", "tipp", "tipps", "idee", "hobby", "computer", "fernseher",
        "roter", "rote", "rotes", "blauer", "gruener", "gelber", "schwarzer", "weisser",
        // "the same one" and linking words: "derselben" is no "der selben", "während" no "wählen"
        "derselbe", "derselben", "dieselbe", "dieselben", "dasselbe", "denselben", "demselben", "desselben",
        "waehrend", "obwohl", "sommer", "herbst", "fruehling",
        // cities
        "berlin", "hamburg", "muenchen", "koeln", "frankfurt", "stuttgart", "duesseldorf", "dortmund", "leipzig", "bremen",
        "dresden", "hannover", "nuernberg", "duisburg", "bochum", "wuppertal", "bielefeld", "bonn", "muenster", "karlsruhe",
        "mannheim", "augsburg", "wiesbaden", "kiel", "kassel", "rostock", "mainz", "freiburg", "erfurt", "luebeck", "potsdam",
        "wien", "graz", "linz", "salzburg", "innsbruck", "zuerich", "bern", "basel", "genf", "luzern",
    ]

    static let english: WordSet = [
        "sleep", "sleeping", "asleep", "eat", "eating", "drink", "drinking", "cook", "cooking", "bake", "baking", "work",
        "working", "play", "playing", "read", "reading", "learn", "learning", "travel", "travelling", "drive", "driving", "run",
        "running", "sing", "singing", "dance", "dancing", "swim", "swimming", "hike", "hiking", "paint", "painting", "clean",
        "cleaning", "shower", "party", "wedding", "rain", "raining", "rainy", "sunny", "snow", "snowing", "weather", "sky",
        "cloud", "cloudy", "wind", "windy", "cold", "hot", "warm", "tired", "hungry", "thirsty", "sick", "ill", "healthy",
        "headache", "sad", "happy", "bored", "boring", "funny", "joke", "jokes", "stressed", "nervous",
        "kids", "child", "children", "mother", "father", "parents", "mom", "mum", "dad", "grandma", "grandpa", "brother",
        "sister", "daughter", "son", "girlfriend", "boyfriend", "friend", "friends", "neighbour", "neighbor", "colleague",
        "boss", "dog", "dogs", "cat", "cats", "animal", "animals", "horse", "bird",
        "house", "flat", "apartment", "garden", "car", "bike", "city", "town", "village", "holiday", "holidays", "vacation",
        "school", "homework", "movie", "movies", "film", "series", "music", "song", "book", "books", "football", "soccer",
        "breakfast", "lunch", "dinner", "coffee", "tea", "beer", "wine", "water", "pizza", "recipe", "cake", "bread", "pasta",
        "soup", "salad", "weekend", "life", "love", "world", "tree", "flower", "flowers", "sea", "mountain", "lake", "beach",
        "night", "poem", "story", "idea", "hobby", "computer", "realise", "realised", "realize", "realized", "colour",
        "favourite", "favorite", "honestly", "literally", "basically", "chance", "chances", "slower",
        "faster", "quicker", "litter", "fault", "writer",
        "london", "manchester", "leeds", "liverpool", "birmingham", "glasgow", "edinburgh", "bristol", "dublin", "paris",
    ]

    static let all: WordSet = german.union(english)
}
