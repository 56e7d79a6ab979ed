#!/bin/bash
# How well the knowledge base reads messages it never learned from, measured on the
# tuning sets it does learn from: five folds over Intents/labelled/tuning-40.tsv to
# tuning-74.tsv. Each fold's copy of the knowledge base leaves seven of those files out
# of labelled/ (set N goes to fold N mod 5), so the learned stage is trained without them,
# and is measured on exactly those. Patterns were written from these sets too, so the
# figures flatter the pattern stage; they compare the learned stage's rules fairly.
#
#   scripts/fold-eval.sh [TREUE_BINARY] [INTENTS_DIR]
set -euo pipefail
treue=${1:-.build/release/treue}
intents=${2:-Intents}
work=$(mktemp -d "${TMPDIR:-/tmp}/treue-folds.XXXXXX")
trap 'rm -rf "$work"' EXIT
for fold in 0 1 2 3 4; do
    cp -r "$intents" "$work/kb$fold"
    printf 'intent\tlang\ttext\n' > "$work/fold$fold.tsv"
    for n in $(seq 40 74); do
        [ $((n % 5)) -eq "$fold" ] || continue
        tail -n +2 "$work/kb$fold/labelled/tuning-$n.tsv" >> "$work/fold$fold.tsv"
        rm "$work/kb$fold/labelled/tuning-$n.tsv"
    done
    "$treue" check --intents "$work/kb$fold" --eval "$work/fold$fold.tsv" > "$work/out$fold.txt" &
    # two at a time: one per core
    if [ $((fold % 2)) -eq 1 ]; then wait; fi
done
wait
python3 - "$work" <<'PY'
import re, sys
right = wrong = total = rejected = other = 0
for fold in range(5):
    text = open(f"{sys.argv[1]}/out{fold}.txt").read()
    a = re.search(r"in-scope accuracy:\s+[\d.]+% \((\d+) of (\d+)\)", text)
    w = re.search(r"wrong answers:\s+[\d.]+% \((\d+) of", text)
    r = re.search(r"out-of-scope rejection:\s+[\d.]+% \((\d+) of (\d+)\)", text)
    print(f"fold {fold}: in scope {a[1]}/{a[2]}, wrong {w[1]}, rejected {r[1]}/{r[2]}")
    right += int(a[1]); total += int(a[2]); wrong += int(w[1]); rejected += int(r[1]); other += int(r[2])
print(f"all folds: in scope {100 * right / total:.2f} % ({right} of {total}), wrong {100 * wrong / total:.2f} % ({wrong}), "
      f"rejected {100 * rejected / other:.2f} % ({rejected} of {other})")
PY
