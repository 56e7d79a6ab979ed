#!/usr/bin/env python3
"""Writes gap-corpus.tsv (or, with --heldout, gap-corpus-heldout.tsv): generated messages a shop's knowledge base does not cover, with
their known topic (topic<TAB>lang<TAB>text), for `treue check --clusters` and the
clustering unit test. Each topic has paraphrases in German and English; messages get
order numbers, amounts, a name or an e-mail placeholder, and one typo in a word in a
third of them. Deterministic: the same file on every run. The clustering's settings were
chosen on gap-corpus.tsv; the held-out topics were written afterwards and only measured."""
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

HELDOUT = {
    "engraving": {
        "de": ["Kann man den Ring gravieren lassen?", "Bietet ihr Gravur an?", "Gravur auf der Uhr möglich, Bestellung {n}?",
               "Was kostet eine Gravur?", "Gravur mit Namen bitte", "Ich hätte gern eine Gravur auf dem Armband"],
        "en": ["can you engrave the ring", "do you offer engraving?", "engraving on the watch for order {n}",
               "how much does engraving cost", "I'd like an engraving with a name", "is engraving possible on the bracelet"],
    },
    "invoice_company": {
        "de": ["Kann die Rechnung auf meine Firma ausgestellt werden?", "Firmenrechnung mit Umsatzsteuer-ID bitte", "Rechnung auf Firma statt Privatperson",
               "Brauche eine Rechnung mit USt-IdNr. für {n}", "Firmenname auf die Rechnung", "Rechnung an meinen Arbeitgeber adressieren"],
        "en": ["can the invoice be made out to my company", "company invoice with VAT number please", "invoice in the company name instead of mine",
               "I need a VAT invoice for order {n}", "put my company name on the invoice", "address the invoice to my employer"],
    },
    "pet_products": {
        "de": ["Verkauft ihr auch Hundefutter?", "Habt ihr Katzenstreu?", "Gibt es bei euch Tierbedarf?",
               "Hundefutter im Abo?", "Katzenfutter nachbestellen", "Spielzeug für Hunde im Sortiment?"],
        "en": ["do you sell dog food", "do you have cat litter", "any pet supplies in your shop",
               "dog food subscription?", "reorder cat food", "toys for dogs in stock?"],
    },
    "installment_zero": {
        "de": ["Gibt es 0% Finanzierung?", "Null Prozent Finanzierung über {a} Monate?", "Finanzierung ohne Zinsen möglich?",
               "Kann ich zinsfrei finanzieren?", "Finanzierung für den Fernseher", "zinslose Finanzierung beantragen"],
        "en": ["is there 0% financing", "zero percent financing over {a} months", "financing without interest",
               "can I get interest free financing", "financing for the tv", "apply for interest free financing"],
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
    heldout = "--heldout" in sys.argv[1:]
    rng = random.Random(1616 if heldout else 16)
    rows = ["topic\tlang\ttext"]
    for topic, languages in (HELDOUT if heldout else TOPICS).items():
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
