# SPDX-License-Identifier: Apache-2.0
#
#   make demo   the seed article's CI + admission story, offline (binauthz demo)
#   make test   the whole test suite (unit, interop with gpg/openssl/gcloud where installed, CLI end to end)
#   make lint   swift-format (.swift-format) in strict lint mode (part of make test); make format applies it
#   make docs   every DocC catalog built with docc, warnings as errors (part of make test)
#   make bench  the benchmarks (release build), printing the results table
#   make fuzz   libFuzzer on every parser family (FUZZ_SECONDS each, default 60; FUZZ_TARGETS to choose)
#
# Each installs missing system packages (libgpgme-dev, libyaml-dev, pkg-config, gnupg) with apt-get when run as
# root (scripts/ensure-deps.sh).

SWIFT ?= swift

.PHONY: all deps build test lint format docs demo bench fuzz clean webhook-test

all: build

deps:
	@./scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

test: deps lint
	$(SWIFT) build --build-tests
	./scripts/ensure-ci-tools.sh
	$(SWIFT) test --skip-build
	./scripts/check-pkix-consumer.sh
	$(MAKE) docs
	$(MAKE) webhook-test

# The admission webhook example (Examples/AdmissionWebhook): its own package, built and tested over real TLS.
webhook-test:
	cd Examples/AdmissionWebhook && $(SWIFT) build --build-tests && $(SWIFT) test --skip-build

lint:
	$(SWIFT) format lint --recursive --strict --parallel Sources Tests Package.swift Fuzz/Package.swift Fuzz/Sources Examples/AdmissionWebhook/Package.swift \
		Examples/AdmissionWebhook/Sources Examples/AdmissionWebhook/Tests

docs: deps
	./scripts/check-docs.sh

demo: deps
	$(SWIFT) build --product binauthz
	$$($(SWIFT) build --show-bin-path)/binauthz demo

bench: deps
	$(SWIFT) build -c release
	$$($(SWIFT) build -c release --show-bin-path)/binauthz-bench

fuzz: deps
	./scripts/fuzz.sh

format:
	$(SWIFT) format format --in-place --recursive --parallel Sources Tests Package.swift Fuzz/Package.swift Fuzz/Sources

clean:
	rm -rf .build .build-fuzz .build-consumer
