# Treue: `make run` serves the shipped knowledge base, `make test` runs every test.
# Both install the Debian packages they need first.
SHELL := /bin/bash
SWIFT ?= swift
# A crash in a test fails fast instead of hanging in the backtracer.
export SWIFT_BACKTRACE := enable=no
SHARED ?= ../shared
PORT ?= 4242

.PHONY: deps test-deps build release run test unit check e2e eval bench web clean

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: release
	.build/release/treue serve --port $(PORT)

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

e2e:
	python3 Tests/EndToEnd/run.py --treue .build/debug/treue

eval: build
	.build/debug/treue check --eval $(SHARED)/eval/dev-set.tsv

bench: release
	python3 Benchmarks/run.py --treue .build/release/treue --shared $(SHARED)

clean:
	rm -rf .build
