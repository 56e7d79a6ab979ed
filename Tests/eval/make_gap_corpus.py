#!/usr/bin/env python3
"""Writes gap-corpus.tsv: generated messages a shop's knowledge base does not cover, with
their known topic (topic<TAB>lang<TAB>text), for `treue check --clusters` and the
clustering unit test. Each topic has paraphrases in German and English; messages get
order numbers, amounts, a name or an e-mail placeholder, and one typo in a word in a
third of them. Deterministic: the same file on every run."""
import random, sys

TOPICS = {
    "gift_wrap": {
        "de": ["Könnt ihr die Bestellung {n} als Geschenk verpacken?", "Bietet ihr Geschenkverpackung an?",
               "geschenkverpackung möglich", "Kann ich eine Geschenkverpackung dazubestellen?",
               "Ist Geschenkverpackung kostenlos?", "Geschenkverpackung für mein Paket {n} bitte"],
        "en": ["can you gift wrap order {n}", "do you offer gift wrapping?", "is gift wrapping available",
               "I'd like gift wrapping for my order {n}", "how much is gift wrapping", "gift wrap please, it's a present"],
    },
    "charged_twice": {
        "de": ["Mir wurde für Bestellung {n} doppelt abgebucht", "doppelte Abbuchung auf meinem Konto", "Ihr habt {a} Euro doppelt abgebucht",
               "Warum wurde doppelt abgebucht?", "Betrag wurde doppelt abgebucht, bitte prüfen", "zweimal abgebucht für {n}"],
        "en": ["i was charged twice for {n}", "you charged me twice", "charged twice for the same order",
               "why was my card charged twice", "double charged, {a} taken twice", "I got charged twice for order {n}"],
    },
    "customs": {
        "de": ["Muss ich Zoll bezahlen?", "Zollgebühren bei Lieferung in die Schweiz?", "Wer zahlt den Zoll für Paket {n}?",
               "Fallen Zollgebühren an?", "zoll kosten schweiz", "Mein Paket hängt beim Zoll fest"],
        "en": ["do i have to pay customs", "customs fees for shipping to the UK?", "who pays customs duties",
               "are there customs charges", "customs duty on order {n}", "my parcel is stuck in customs"],
    },
    "wholesale": {
        "de": ["Verkauft ihr auch an Firmen im Großhandel?", "Großhandelspreise für Wiederverkäufer?", "Gibt es Großhandel Rabatt?",
               "Wir sind ein Laden und suchen Großhandel Konditionen", "großhandel anfrage", "Großhandelskonditionen für {a} Stück"],
        "en": ["do you sell wholesale", "wholesale prices for resellers?", "is there a wholesale discount",
               "we run a store and want wholesale terms", "wholesale inquiry", "wholesale pricing for {a} units"],
    },
    "recyclable_packaging": {
        "de": ["Ist die Verpackung recycelbar?", "Verwendet ihr plastikfreie Verpackung?", "Kann man eure Verpackung recyceln?",
               "zu viel Plastik in der Verpackung", "Ist der Karton recycelbar?", "nachhaltige Verpackung ohne Plastik?"],
        "en": ["is the packaging recyclable", "do you use plastic free packaging", "can i recycle your packaging",
               "too much plastic in the packaging", "is the box recyclable?", "sustainable packaging without plastic?"],
    },
    "jobs": {
        "de": ["Sucht ihr Mitarbeiter? Ich möchte mich bewerben", "Habt ihr offene Stellen?", "Bewerbung als Lagerhelfer",
               "Wo kann ich meine Bewerbung schicken?", "stellenangebote bei euch", "Gibt es Ausbildungsplätze? Bewerbung folgt"],
        "en": ["are you hiring", "do you have job openings", "I want to apply for a job",
               "where do I send my job application", "any jobs available in the warehouse", "job application for the store"],
    },
    "price_match": {
        "de": ["Woanders ist es billiger, macht ihr Preisgarantie?", "Gibt es eine Preisgarantie?", "Bei einem anderen Shop kostet es {a} Euro weniger, passt ihr den Preis an?",
               "Preis anpassen weil es woanders billiger ist", "preisgarantie gilt die auch online", "Tiefpreisgarantie?"],
        "en": ["do you price match", "is there a price match guarantee", "it's cheaper elsewhere, can you match the price",
               "price match with another shop for {a}", "will you match a competitor's price", "price matching policy?"],
    },
    "assembly": {
        "de": ["Bietet ihr einen Aufbauservice für Möbel an?", "Kann der Schrank aufgebaut werden?", "Aufbauservice buchen für Bestellung {n}",
               "Wer baut das Regal auf?", "Montage der Möbel möglich?", "kostet der aufbauservice extra"],
        "en": ["do you offer furniture assembly", "can someone assemble the wardrobe", "book assembly service for order {n}",
               "who assembles the shelf", "is assembly included for the furniture", "does assembly cost extra"],
    },
    "student_discount": {
        "de": ["Gibt es einen Studentenrabatt?", "Rabatt für Studenten?", "Ich bin Student, bekomme ich Rabatt?",
               "studentenrabatt mit Studentenausweis", "Habt ihr Studentenrabatt?", "Studierende Rabatt möglich"],
        "en": ["do you have a student discount", "student discount?", "I'm a student, can I get a discount",
               "student discount with my student id", "any discount for students", "is there a student discount code"],
    },
    "click_collect": {
        "de": ["Kann ich die Bestellung {n} im Laden abholen?", "Abholung in der Filiale möglich?", "Selbst abholen statt Versand?",
               "Wann kann ich mein Paket in der Filiale abholen?", "click and collect abholung", "abholen im laden geht das"],
        "en": ["can I pick up order {n} in store", "is in-store pickup available", "collect in store instead of delivery",
               "when can I pick up my order at the store", "click and collect pickup", "store pickup possible?"],
    },
}

NAMES = ["Anna", "Jonas", "Mehmet", "Sarah", "Tom", "Lena"]
PREFIX = {
    "de": ["", "", "Hallo, ", "Guten Tag, ", "Hallo, ich bin Frau {name}. ", "Hi, mein Name ist {name}. ", "Hallo, [email] hier. "],
    "en": ["", "", "Hi, ", "Hello, ", "Hi, my name is {name}. ", "Hello, this is Mr {name}. ", "Hi, [email] here. "],
}


def typo(text, rng):
    words = [w for w in text.split() if len(w) >= 6 and w.isalpha()]
    if not words:
        return text
    word = rng.choice(words)
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "swap", "double"])
    if kind == "drop":
        wrong = word[:i] + word[i + 1:]
    elif kind == "swap":
        wrong = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    else:
        wrong = word[:i] + word[i] + word[i:]
    return text.replace(word, wrong, 1)


def main():
    rng = random.Random(16)
    rows = ["topic\tlang\ttext"]
    for topic, languages in TOPICS.items():
        for lang, phrasings in languages.items():
            for phrasing in phrasings:
                for _ in range(3):
                    text = phrasing.format(n=rng.randrange(100000, 9999999999), a=rng.randrange(2, 500))
                    prefix = rng.choice(PREFIX[lang]).format(name=rng.choice(NAMES))
                    text = prefix + (text[0].lower() + text[1:] if prefix else text)
                    if rng.random() < 0.33:
                        text = typo(text, rng)
                    rows.append(f"{topic}\t{lang}\t{text}")
    sys.stdout.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
