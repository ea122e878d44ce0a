# The two commands of the README:
#   make demo   build and run examples/train_demo on the embedded default store (no Python)
#   make test   bootstrap, build, unit tests (plain and under ASan+UBSan) and integration tests
#               against a real MLflow 3.18 server started by the test harness
# Benchmarks: make bench-rest, make bench-embedded, make bench-artifacts, make bench-async,
# make bench-prompts, make bench-tracing, make bench-sync, make bench-governance
# (see bench/README.md).

JOBS ?= $(shell nproc)
CTEST_JOBS ?= 2
export CCACHE_DIR ?= $(HOME)/.cache/mlflow-cpp/ccache
# Cache hits across checkouts (clean CI clones, worktrees): paths hashed relative to the
# checkout, the working directory left out of the hash.
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= true

.PHONY: demo test bootstrap build build-asan unit-asan build-tsan async-tsan tests format bench-rest bench-embedded bench-artifacts bench-async bench-prompts bench-tracing bench-sync bench-governance clean

bootstrap:
	@scripts/bootstrap.sh

build: bootstrap
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS)

build-asan: bootstrap
	@cmake --preset asan-ubsan >/dev/null
	@cmake --build --preset asan-ubsan -j $(JOBS) --target mlflow_unit_tests

# The demo needs no Python: only the build's Debian packages, and only its own targets.
demo:
	@scripts/bootstrap.sh --build-only
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS) --target train_demo quickstart
	@scripts/demo.sh build/dev

unit-asan: build-asan
	@echo "== unit tests under ASan+UBSan"
	@cd build/asan-ubsan && ctest -L unit --output-on-failure -j $(CTEST_JOBS)

# ThreadSanitizer: only the library, the test support and the async logging test program
# (8 threads x 100,000 metrics to the real server, the embedded store, and through an outage).
# The async tests (label "async") run only here in `make test`, not again in the plain build:
# `cd build/dev && ctest -L async` runs them without TSan.
build-tsan: bootstrap
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan -j $(JOBS) --target mlflow_async_tests

async-tsan: build-tsan
	@echo "== async logging tests under ThreadSanitizer (real MLflow server)"
	@start=$$(date +%s); cd build/tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
	  ctest -L async --output-on-failure; rc=$$?; \
	  echo "== async-tsan took $$(( $$(date +%s) - start )) s (tests only)"; exit $$rc

test: build unit-asan async-tsan
	@echo "== unit tests"
	@cd build/dev && ctest -L unit --output-on-failure -j $(CTEST_JOBS)
	@echo "== integration tests (real MLflow server)"
	@cd build/dev && ctest -L integration --output-on-failure -j $(CTEST_JOBS)

# Each bench-NAME runs scripts/bench-NAME.sh on the dev build.
BENCHES := bench-rest bench-embedded bench-async bench-prompts bench-artifacts bench-tracing \
           bench-sync bench-governance
$(BENCHES): bench-%: build
	@scripts/bench-$*.sh build/dev

format:
	@find include src tests examples bench cli -name '*.hpp' -o -name '*.cpp' | xargs clang-format -i

clean:
	rm -rf build
