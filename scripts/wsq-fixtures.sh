#!/usr/bin/env bash
# Regenerates the WSQ test fixtures of crates/wsq (crates/wsq/fixtures/):
# real FVC2002 fingerprints compressed to WSQ by NIST's own NBIS codec, and
# NBIS's decoding of each to PNG, which gerbang-wsq's tests must reproduce
# pixel for pixel. The fixtures are committed, so tests and CI need neither
# Python nor NBIS; this script is only for changing them.
#
# NBIS comes from PyPI's `wsq` 0.9 (a Pillow plugin with NBIS 5.0's WSQ
# library compiled in). Its Python `compress` ignores the bit rate it is
# given (always 0.75), so the script calls NBIS's `wsq_encode_mem` in the
# same shared object through ctypes to choose the bit rate, the PPI and a
# comment; decoding goes through its `decompress` (NBIS `wsq_decode_mem`).
#
#   GERBANG_WSQ_VENV          the virtualenv to use or make
#                             (default: target/wsq-venv in the workspace)
#   GERBANG_BIOMETRICS_DATA   the shared biometric data
#                             (default: ../shared/data/biometrics)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${GERBANG_WSQ_VENV:-$root/target/wsq-venv}"
data="${GERBANG_BIOMETRICS_DATA:-$root/../shared/data/biometrics}"
out="$root/crates/wsq/fixtures"

if ! "$venv/bin/python" -c 'import wsq, PIL' 2>/dev/null; then
    echo "== virtualenv $venv (PyPI wsq 0.9, Pillow)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "wsq==0.9" "Pillow>=10"
fi
mkdir -p "$out"

"$venv/bin/python" - "$data/fingerprints/fvc2002" "$out" <<'PY'
import ctypes, ctypes.util, pathlib, sys

import _wsq
from PIL import Image

fvc, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
nbis = ctypes.CDLL(_wsq.__file__)
nbis.wsq_encode_mem.argtypes = [
    ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_int), ctypes.c_float,
    ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_char_p,
]
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.free.argtypes = [ctypes.c_void_p]


def encode(image, bitrate, ppi=-1, comment=None):
    data, length = ctypes.c_void_p(), ctypes.c_int()
    pixels = image.tobytes()
    status = nbis.wsq_encode_mem(ctypes.byref(data), ctypes.byref(length), bitrate, pixels,
                                 image.width, image.height, 8, ppi, comment)
    if status != 0:
        sys.exit(f"wsq_encode_mem: {status}")
    encoded = ctypes.string_at(data, length.value)
    libc.free(data)
    return encoded


# name: (source image, crop box or None, bit rate, ppi, comment)
fixtures = {
    # The decoder's main case, and the biometrics test's enrolment
    # (matched against DB1_B/101_2.tif): 388 × 374 at 500 PPI (FVC2002
    # DB1's sensor) and 0.75 bpp (15:1).
    "db1_101_1_r075": ("DB1_B/101_1.tif", None, 0.75, 500, None),
    # The same finger at 2.25 bpp (5:1): many more non-zero coefficients.
    "db1_101_1_r225": ("DB1_B/101_1.tif", None, 2.25, 500, None),
    # The other sensor: 296 × 560 at 569 PPI; and one NISTCOM without a
    # PPI value (NBIS writes "PPI -1" when told none).
    "db2_102_1_r075": ("DB2_B/102_1.tif", None, 0.75, 569, None),
    "db2_104_1_noppi": ("DB2_B/104_1.tif", (0, 0, 256, 256), 0.75, -1, None),
    # Odd width and height (every odd-length branch of the trees and the
    # filters), 1000 PPI in the NISTCOM and a second, general comment.
    "db2_103_1_odd": ("DB2_B/103_1.tif", (11, 37, 11 + 257, 37 + 301), 1.5, 1000, b"Gerbang WSQ fixture"),
}
for name, (source, box, bitrate, ppi, comment) in fixtures.items():
    image = Image.open(fvc / source).convert("L")
    if box:
        image = image.crop(box)
    encoded = encode(image, bitrate, ppi, comment)
    pixels, width, height, read_ppi = _wsq.decompress(encoded)
    decoded = Image.frombytes("L", (width, height), pixels)
    (out / f"{name}.wsq").write_bytes(encoded)
    decoded.save(out / f"{name}.nbis.png", optimize=True)
    print(f"{name}: {width}x{height}, {bitrate} bpp, ppi {read_ppi}, {len(encoded)} bytes")
PY
du -ch "$out"/* | tail -n 1
