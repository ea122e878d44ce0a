# The two commands of the README:
#   make demo   bootstrap, build, run examples/quickstart on the embedded default store
#   make test   bootstrap, build, unit tests (plain and under ASan+UBSan) and integration tests
#               against a real MLflow 3.18 server started by the test harness
# Benchmarks: make bench-rest, make bench-embedded, make bench-artifacts (see bench/README.md).

JOBS ?= $(shell nproc)
CTEST_JOBS ?= 2
export CCACHE_DIR ?= $(HOME)/.cache/mlflow-cpp/ccache
# Cache hits across checkouts (clean CI clones, worktrees): paths hashed relative to the
# checkout, the working directory left out of the hash.
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= true

.PHONY: demo test bootstrap build build-asan unit-asan tests format bench-rest bench-embedded bench-artifacts clean

bootstrap:
	@scripts/bootstrap.sh

build: bootstrap
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS)

build-asan: bootstrap
	@cmake --preset asan-ubsan >/dev/null
	@cmake --build --preset asan-ubsan -j $(JOBS) --target mlflow_unit_tests

demo: build
	@scripts/demo.sh build/dev

unit-asan: build-asan
	@echo "== unit tests under ASan+UBSan"
	@cd build/asan-ubsan && ctest -L unit --output-on-failure -j $(CTEST_JOBS)

test: build unit-asan
	@echo "== unit tests"
	@cd build/dev && ctest -L unit --output-on-failure -j $(CTEST_JOBS)
	@echo "== integration tests (real MLflow server)"
	@cd build/dev && ctest -L integration --output-on-failure -j $(CTEST_JOBS)

bench-rest: build
	@scripts/bench-rest.sh build/dev

bench-embedded: build
	@scripts/bench-embedded.sh build/dev

bench-artifacts: build
	@scripts/bench-artifacts.sh build/dev

format:
	@find include src tests examples bench cli -name '*.hpp' -o -name '*.cpp' | xargs clang-format -i

clean:
	rm -rf build
