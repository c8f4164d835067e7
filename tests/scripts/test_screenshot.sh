#!/usr/bin/env bash
# The GUI renders itself to a PNG once loaded (cairn --screenshot), offscreen, and the picture is not blank:
# it decodes the PNG with python3's zlib (no PIL) and requires a real image with many distinct colours.
set -euo pipefail
: "${CAIRN_BIN_DIR:?CAIRN_BIN_DIR must point at the built binaries}"
export QT_QPA_PLATFORM=offscreen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

"$CAIRN_BIN_DIR/cairn" --version | grep -q "cairn"

timeout 120 "$CAIRN_BIN_DIR/cairn" --screenshot out.png --seed 7
test -s out.png

python3 - out.png <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat, width = 8, b'', 0
while pos < len(data):
    length, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b'IHDR':
        width, height, depth, colour = struct.unpack('>IIBB', body[:10])
        assert depth == 8 and colour in (2, 6), f'unexpected PNG format depth={depth} colour={colour}'
        bpp = 4 if colour == 6 else 3
    elif kind == b'IDAT':
        idat += body
    pos += 12 + length
assert width >= 800 and height >= 500, f'window too small: {width}x{height}'
raw = zlib.decompress(idat)
stride = width * bpp
rows, prev, i = [], bytearray(stride), 0
for _ in range(height):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line)); prev = line
colours = set()
for y in range(0, height, 3):
    r = rows[y]
    for x in range(0, width, 3):
        colours.add(r[x * bpp:x * bpp + 3])
print(f'{width}x{height}, {len(colours)} distinct colours (sampled)')
assert len(colours) >= 50, 'the screenshot looks blank'
PY
