#!/usr/bin/env bash
# Compile cost of logging call sites: a crate with N calls (default 1,000) built with logkit's
# macros (default features, then with `function-names`), and the same crate built with the
# `log` crate's macros. Prints the median of five full compiles of each crate (dependencies
# already built; incremental compilation off, so each compile does all the work), in debug
# and release.
#
#   bash scripts/compile-cost.sh [N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000}
export CARGO_INCREMENTAL=0
dir="$root/target/compile-cost"
mkdir -p "$dir"

# Writes a crate in $dir/$1 whose main.rs has $n calls; $2 is the dependency line, $3 the
# call template with PATH and I for the arguments, $4 the `use` line.
make_crate() {
    local name=$1 dep=$2 call=$3 use=$4
    mkdir -p "$dir/$name/src"
    cat > "$dir/$name/Cargo.toml" <<TOML
[package]
name = "$name"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
$dep
TOML
    {
        echo "$use"
        local per=100 f=0 i=0
        while [ "$i" -lt "$n" ]; do
            echo "pub fn f$f(path: &str, i: u64) {"
            local j=0
            while [ "$j" -lt "$per" ] && [ "$i" -lt "$n" ]; do
                echo "    ${call//N/$i}"
                i=$((i + 1)); j=$((j + 1))
            done
            echo "}"
            f=$((f + 1))
        done
        echo "fn main() {"
        local k=0
        while [ "$k" -lt "$f" ]; do echo "    f$k(\"/api\", 1);"; k=$((k + 1)); done
        echo "}"
    } > "$dir/$name/src/main.rs"
}

make_crate with-logkit "logkit = { path = \"$root/logkit\" }" \
    'logkit::info!("request N %s took %d ms", path, i);' "#![allow(clippy::all)]"
make_crate with-logkit-names "logkit = { path = \"$root/logkit\", features = [\"function-names\"] }" \
    'logkit::info!("request N %s took %d ms", path, i);' "#![allow(clippy::all)]"
make_crate with-log 'log = "0.4"' \
    'log::info!("request N {} took {} ms", path, i);' "#![allow(clippy::all)]"

median_build() {
    local crate=$1 profile=$2 times=()
    cargo build --quiet $profile --manifest-path "$dir/$crate/Cargo.toml"
    for _ in 1 2 3 4 5; do
        touch "$dir/$crate/src/main.rs"
        local start end
        start=$(date +%s.%N)
        cargo build --quiet $profile --manifest-path "$dir/$crate/Cargo.toml"
        end=$(date +%s.%N)
        times+=("$(echo "$end - $start" | bc)")
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}

for profile in "" "--release"; do
    a=$(median_build with-logkit "$profile")
    names=$(median_build with-logkit-names "$profile")
    b=$(median_build with-log "$profile")
    printf '%-9s %d call sites: log %.2f s; logkit %.2f s (%.2fx); with function-names %.2f s (%.2fx)\n' \
        "${profile:---debug}" "$n" "$b" "$a" "$(echo "$a / $b" | bc -l)" "$names" "$(echo "$names / $b" | bc -l)"
done
