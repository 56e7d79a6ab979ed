# Treue: `make run` serves the shipped knowledge base, `make test` runs every test.
# Both install the Debian packages they need first.
SHELL := /bin/bash
SWIFT ?= swift
# A crash in a test fails fast instead of hanging in the backtracer.
export SWIFT_BACKTRACE := enable=no
SHARED ?= ../shared
PORT ?= 4242
# Debian's python3 with python3-pytest (scripts/install-deps.sh test installs it).
PYTHON ?= /usr/bin/python3

.PHONY: deps test-deps build release run test unit check e2e eval folds bench web soak clean

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: release
	.build/release/treue serve --port $(PORT) --orders Customers/demo-orders.csv

## Every test: unit and socket tests, the knowledge-base check, end-to-end tests.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	.build/debug/treue check
	$(MAKE) e2e

unit: deps
	$(SWIFT) test

check: build
	.build/debug/treue check

## Real sockets, real processes: protocol, limits, signals, crashes, HAProxy, the native
## WebSocket listener, websockify and Chromium, as one pytest suite (Debian's python3-pytest; one result per test).
## One part: make e2e E2E=Tests/EndToEnd/haproxy_test.py, or PYTEST_ARGS="-k sighup".
E2E ?= Tests/EndToEnd Tests/browser
e2e:
	TREUE_REQUIRE_BROWSER=1 $(PYTHON) -m pytest $(E2E) --treue .build/debug/treue -p no:cacheprovider -rfEs $(PYTEST_ARGS)

## Longer robustness work CI also runs: libFuzzer on the line protocol and on matching.
soak: deps
	scripts/fuzz.sh $(or $(FUZZ_SECONDS),60)

## The chat widget in a browser: treue serve with its native WebSocket listener on
## http://127.0.0.1:8080/ (WEBSOCKIFY=1: websockify in front instead)
web: build
	TREUE=.build/debug/treue scripts/web-demo.sh

## Accuracy on the shared dev sets, and on held-out sets that are never used for tuning
## (Tests/eval/heldout.tsv, written after the patterns; heldout-2.tsv to heldout-36.tsv,
## written without sight of Intents/). Intents/labelled/tuning-4.tsv to tuning-131.tsv and tuning-134.tsv were
## written the same way but are tuned on, and the learned stage trains on them;
## Tests/eval/tuning-135.tsv to tuning-152.tsv are tuned on but not trained on.
## Add EVAL_FLAGS=--misses to see every miss and why
## on the sets that may be looked at. --nearest: how often the nearest intent `treue review`
## shows for a gap is the right one (top-1, top-3); --clusters: purity and completeness of
## the gap clusters on generated gaps of known topics (gap-corpus-heldout.tsv only measured).
eval: build
	.build/debug/treue check --eval $(SHARED)/eval/dev-set.tsv --nearest $(EVAL_FLAGS)
	.build/debug/treue check --eval $(SHARED)/eval/dev-set-2.tsv --nearest $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/heldout.tsv --nearest $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-4.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-5.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-6.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-7.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-8.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-9.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-10.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-11.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-12.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-13.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-14.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-15.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-16.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-17.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-18.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-19.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-20.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-21.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-22.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-23.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-24.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-25.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-26.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-27.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-28.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-29.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-30.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-31.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-32.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-33.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-34.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-35.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-36.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-37.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-38.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-39.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-40.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-41.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-42.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-43.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-44.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-45.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-46.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-47.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-48.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-49.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-50.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-51.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-52.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-53.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-54.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-55.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-56.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-57.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-58.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-59.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-60.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-61.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-62.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-63.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-64.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-65.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-66.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-67.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-68.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-69.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-70.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-71.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-72.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-73.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-74.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-75.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-76.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-77.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-78.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-79.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-80.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-81.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-82.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-83.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-84.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-85.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-86.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-87.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-88.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-89.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-90.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-91.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-92.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-93.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-94.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-95.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-96.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-97.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-98.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-99.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-100.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-101.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-102.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-103.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-104.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-105.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-106.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-107.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-108.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-109.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-110.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-111.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-112.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-113.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-114.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-115.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-116.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-117.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-118.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-119.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-120.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-121.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-122.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-123.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-124.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-125.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-126.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-127.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-128.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-129.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-130.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-131.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Intents/labelled/tuning-134.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-135.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-136.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-137.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-138.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-139.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-140.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-141.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-142.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-143.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-144.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-145.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-146.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-147.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-148.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-149.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-150.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-151.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/tuning-152.tsv $(EVAL_FLAGS)
	.build/debug/treue check --eval Tests/eval/heldout-2.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-3.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-4.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-5.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-6.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-7.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-8.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-9.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-10.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-11.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-12.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-13.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-14.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-15.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-16.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-17.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-18.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-19.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-20.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-21.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-22.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-23.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-24.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-25.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-26.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-27.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-28.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-29.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-30.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-31.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-32.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-33.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-34.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-35.tsv --nearest
	.build/debug/treue check --eval Tests/eval/heldout-36.tsv --nearest
	.build/debug/treue check --clusters Tests/eval/gap-corpus.tsv
	.build/debug/treue check --clusters Tests/eval/gap-corpus-heldout.tsv

## The learned stage on messages it never learned from: five folds over tuning sets 40 to 74,
## each trained without the fold it is measured on (docs/knowledge-base.md, round of set 16).
folds: release
	scripts/fold-eval.sh .build/release/treue

bench: release
	@scripts/install-deps.sh bench
	swift build -c release --product treue-load
	python3 Benchmarks/run.py --treue .build/release/treue --load .build/release/treue-load --shared $(SHARED)

clean:
	rm -rf .build
