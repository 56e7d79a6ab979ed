#!/bin/bash
# Writes Intents/dictionary/words.txt: the German and English words of Debian's word lists
# (wngerman, wbritish, wamerican) that the spelling stage would otherwise read as another
# word of the knowledge base ("ofen" as "offen", "project" as "protect"). Only those words
# matter, so only they are kept. Run it again when the knowledge base's vocabulary grows.
#
#   scripts/dictionary-words.sh [TREUE_BINARY] [INTENTS_DIR]
set -euo pipefail
treue=${1:-.build/release/treue}
intents=${2:-Intents}
lists="/usr/share/dict/ngerman /usr/share/dict/british-english /usr/share/dict/american-english"
for list in $lists; do
    [ -r "$list" ] || { echo "missing $list: apt-get install -y wngerman wbritish wamerican" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/treue-dictionary.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The knowledge base as it reads without its dictionary: which words would it change?
cp -r "$intents" "$work/kb"
rm -f "$work/kb/dictionary.yaml"
python3 - "$work/words.txt" $lists <<'PY'
import re, sys, unicodedata
def fold(word):
    word = word.lower()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        word = word.replace(umlaut, spelled)
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
words = set()
for path in sys.argv[2:]:
    for line in open(path, encoding="utf-8"):
        word = fold(line.strip())
        if re.fullmatch(r"[a-z]{4,30}", word):
            words.add(word)
open(sys.argv[1], "w").write("\n".join(sorted(words)) + "\n")
PY
"$treue" match --intents "$work/kb" --format json --explain < "$work/words.txt" > "$work/readings.json"
mkdir -p "$intents/dictionary"
python3 - "$work/words.txt" "$work/readings.json" "$intents/dictionary/words.txt" <<'PY'
import json, re, sys
def inflection(word, reading):
    """The same word in another form: an ending added or dropped, the "zu" of an
    infinitive ("abzugeben", "abgeben"), an umlaut spelled out or not. Such readings help."""
    shorter, longer = sorted((word, reading), key=len)
    if longer.startswith(shorter):
        return True
    drops = lambda text, piece: {text[:i] + text[i + len(piece):] for i in range(len(text)) if text.startswith(piece, i)}
    return shorter in drops(longer, "zu") or shorter in drops(longer, "e")
changed = []
for word, line in zip(open(sys.argv[1]).read().split("\n"), open(sys.argv[2])):
    found = re.search(r"corrected: ([^;]*)", json.loads(line).get("evidence") or "")
    if found and (word + "→") in found.group(1):
        reading = found.group(1).split(word + "→", 1)[1].split(",")[0]
        if not inflection(word, reading):
            changed.append(word)
with open(sys.argv[3], "w") as out:
    out.write("# Words of the language that are no typos: the spelling stage never reads them as another\n"
              "# word. Written by scripts/dictionary-words.sh from Debian's word lists: wngerman\n"
              "# (igerman98, Björn Jacke, GPL-2+), wbritish and wamerican (SCOWL, Kevin Atkinson).\n"
              "# Only the words the knowledge base would otherwise change are listed.\n")
    out.write("\n".join(changed) + "\n")
print(f"{len(changed)} words")
PY
