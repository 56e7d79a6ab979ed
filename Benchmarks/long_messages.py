#!/usr/bin/env python3
"""Rewrites a peer-benchmark corpus (../shared/bench/gen_corpus.py) with longer, messier
messages of the kind customers type: greetings and afterthoughts around the question
(about 66 characters on average), typographic quotes around the keywords („…“, “…”, ‚…‘),
emoji, and about one message in eight in ALL CAPS. The intents, their patterns and each
message's expected intent stay the same: the keyword phrase is kept whole, and the added
words come from a list that no intent uses.

    python3 Benchmarks/long_messages.py --corpus /tmp/corpus50 --out /tmp/corpus50-long
"""
import argparse, json, os, random, re, shutil

OPENERS = ["Hallo zusammen,", "Guten Morgen!", "Hi team —", "Moin,", "Hallo liebes Serviceteam,", "Hey,",
           "Sorry für die Störung:", "Kurze Frage:", "Hello there,", "Good evening!", "Quick one:", ""]
CLOSERS = ["Danke im Voraus 🙏", "Viele Grüße", "Bitte um schnelle Antwort!!", "thanks a lot 😊", "LG 👍",
           "Ich warte schon seit Tagen 😤", "Cheers", "merci 🙂", "Schönen Tag noch ☀️", "best regards", ""]
QUOTES = [("„", "“"), ("“", "”"), ("‚", "‘"), ("«", "»"), ('"', '"'), ("", ""), ("", ""), ("", "")]
EMOJI = ["😀", "🙏", "📦", "🚚", "👍", "😅", "🤔", "❤️", "🎁", "💳"]


def lengthen(message, phrase, rnd):
    if phrase and phrase in message:
        left, right = rnd.choice(QUOTES)
        message = message.replace(phrase, f"{left}{phrase}{right}", 1)
    parts = [rnd.choice(OPENERS) if rnd.random() < 0.6 else "", message]
    if rnd.random() < 0.5:
        parts.append(rnd.choice(EMOJI))
    if rnd.random() < 0.6:
        parts.append(rnd.choice(CLOSERS))
    text = " ".join(p for p in parts if p)
    if rnd.random() < 0.125:
        text = text.upper()
    return re.sub(r"\s+", " ", text).strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True, help="folder with corpus.json, patterns.txt, bot.aiml, bot.rive")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=18)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    corpus = json.load(open(os.path.join(a.corpus, "corpus.json"), encoding="utf-8"))
    keywords = {i["id"]: i["keywords"] for i in corpus["intents"]}
    messages = []
    for text, expected in zip(corpus["messages"], corpus["expected"]):
        phrase = next((k for k in keywords.get(expected, []) if k in text), None) if expected else None
        messages.append(lengthen(text, phrase, rnd))
    os.makedirs(a.out, exist_ok=True)
    for name in ("patterns.txt", "bot.aiml", "bot.rive"):
        shutil.copy(os.path.join(a.corpus, name), os.path.join(a.out, name))
    json.dump(dict(corpus, messages=messages), open(os.path.join(a.out, "corpus.json"), "w", encoding="utf-8"), ensure_ascii=False)
    with open(os.path.join(a.out, "messages.txt"), "w", encoding="utf-8") as f:
        for m, e in zip(messages, corpus["expected"]):
            f.write(f"{e or '-'}\t{m}\n")


if __name__ == "__main__":
    main()
