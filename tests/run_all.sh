#!/usr/bin/env bash
# tests/run_all.sh: the whole test suite, as the README's quick start and CI run it.
#   1. build/       RelWithDebInfo, warnings as errors; every ctest test (unit, fixtures,
#                   cli, format, corpus)
#   2. build-asan/  the same sources under -fsanitize=address,undefined; every test again,
#                   failing on any sanitizer report
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build -DPITFALL_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

cmake -S . -B build-asan -DPITFALL_WERROR=ON -DPITFALL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j "$jobs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure -j "$jobs"
