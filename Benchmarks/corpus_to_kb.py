#!/usr/bin/env python3
"""Turns a peer-benchmark corpus (../shared/bench/gen_corpus.py's corpus.json) into a Treue
knowledge base: one intent per corpus intent, its keyword phrases as one whole-word,
caseless alternation, exactly like the peers' patterns."""
import argparse, json, os, re

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True, help="folder with corpus.json")
    ap.add_argument("--out", required=True, help="knowledge-base folder to write")
    a = ap.parse_args()
    corpus = json.load(open(os.path.join(a.corpus, "corpus.json"), encoding="utf-8"))
    os.makedirs(a.out, exist_ok=True)
    def quote(text):
        return "'" + text.replace("'", "''") + "'"
    lines = ["languages: [de, en]", "intents:"]
    for intent in corpus["intents"]:
        alternation = "|".join(re.escape(k) for k in intent["keywords"])
        lines.append(f"  - id: {intent['id']}")
        pattern = quote(r"\b(?:" + alternation + r")\b")
        lines.append(f"    patterns: {{ de: [{pattern}] }}")
        lines.append(f"    answers: {{ default: {{ de: {quote(intent['answer'])}, en: {quote(intent['answer'])} }} }}")
    with open(os.path.join(a.out, "intents.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")

if __name__ == "__main__":
    main()
