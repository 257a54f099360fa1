#!/usr/bin/env bash
# Installs what building and testing Gerbang needs on a fresh Debian machine,
# and nothing that is already there. Sourced by scripts/demo.sh and
# scripts/test.sh; safe to run again.
set -euo pipefail

# Debian packages the build needs: a C compiler for the bundled SQLite, and
# dlib with OpenBLAS and LAPACK for the face biometrics (gerbang-biometrics
# links them; the whole workspace links that crate).
GERBANG_DEBIAN_PACKAGES=(build-essential pkg-config libdlib-dev libopenblas-dev liblapack-dev)

# Extra packages may be named as arguments (the benchmark scripts need a few).
gerbang_install_prerequisites() {
    if ! command -v cargo >/dev/null 2>&1; then
        echo "gerbang: cargo (Rust toolchain) tidak ditemukan; pasang Rust 1.95 atau lebih baru lebih dulu" >&2
        exit 1
    fi
    local missing=()
    for package in "${GERBANG_DEBIAN_PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    if ((${#missing[@]})); then
        echo "gerbang: memasang paket Debian: ${missing[*]}" >&2
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}
