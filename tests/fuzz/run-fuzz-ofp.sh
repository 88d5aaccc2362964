#!/bin/sh
# Builds tests/fuzz/fuzz-ofp-decode with clang's libFuzzer and
# AddressSanitizer and runs it for FUZZ_SECONDS (default 30), seeded with
# the captured OpenFlow test vectors.  Exits 77 (automake "skipped") when
# clang or its libFuzzer runtime (Debian: libclang-rt-14-dev) is missing.
set -e
srcdir=${srcdir:-.}
top_srcdir=${top_srcdir:-$srcdir}
top_builddir=${top_builddir:-.}
seconds=${FUZZ_SECONDS:-30}
CLANG=${CLANG:-clang}

if ! command -v "$CLANG" >/dev/null 2>&1; then
    echo "clang not found: skipping the fuzz run"
    exit 77
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ return 0; }\n' > "$probe/p.c"
if ! "$CLANG" -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>/dev/null; then
    echo "clang libFuzzer runtime not found (libclang-rt-14-dev): skipping"
    exit 77
fi

out=$top_builddir/tests/fuzz
mkdir -p "$out"
bin=$out/fuzz-ofp-decode
"$CLANG" -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined \
    -I"$top_builddir" -I"$top_srcdir" -I"$top_srcdir/lib" \
    "$top_srcdir"/tests/fuzz/fuzz-ofp-decode.c \
    "$top_srcdir"/lib/openflow/ofp-*.c \
    "$top_srcdir"/lib/util/util.c "$top_srcdir"/lib/util/dstr.c \
    -o "$bin"

corpus=$probe/corpus
mkdir -p "$corpus"
# Seed corpus: every captured message, one file each.
cat "$top_srcdir"/tests/unit/ofp-data/*-vectors.txt | while read -r name hex; do
    printf '%s' "$hex" | xxd -r -p > "$corpus/$name"
done
set +e
# A fixed seed keeps `make check` reproducible; FUZZ_SEED=0 picks one.
"$bin" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
    -seed="${FUZZ_SEED:-20261122}" \
    -artifact_prefix="$out/" "$corpus" > "$probe/log" 2>&1
status=$?
set -e
# The full report on failure; the statistics otherwise.
if [ $status -ne 0 ]; then
    grep -v '^    #[0-9]* 0x.* in fuzzer::' "$probe/log" | tail -n 60
else
    grep -E '^(Done|stat::)' "$probe/log"
fi
exit $status
