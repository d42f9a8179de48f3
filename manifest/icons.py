"""The Teams app icons, drawn with the standard library only (zlib + struct, no Pillow).

Two speech bubbles stand for the dialogue: a white bubble with three dots in front of a lighter one.

- ``color.png``: 192x192, full colour, the bubbles on an accent-coloured square.
- ``outline.png``: 32x32, a white bubble outline with three dots on a transparent background.

The PNG files are committed next to this module; regenerate them after a design change with
``python -m manifest.icons``. A test checks that the committed files match this generator.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ACCENT = (0x1B, 0x4F, 0x8A)  # deep blue; also the manifest's accentColor
ACCENT_HEX = "#{:02X}{:02X}{:02X}".format(*ACCENT)
SOFT = (0x8F, 0xB8, 0xE0)  # light blue for the bubble behind
WHITE = (0xFF, 0xFF, 0xFF)

COLOR_SIZE = 192
OUTLINE_SIZE = 32
_SAMPLES = 4  # supersampling per axis, for smooth edges

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# A shape is a signed distance function in unit coordinates (0..1 across the icon):
# negative inside, positive outside.
Shape = Callable[[float, float], float]


# ---------------------------------------------------------------- shapes


def _rounded_rect(cx: float, cy: float, half_w: float, half_h: float, radius: float) -> Shape:
    def sdf(x: float, y: float) -> float:
        qx = abs(x - cx) - half_w + radius
        qy = abs(y - cy) - half_h + radius
        outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
        inside = min(max(qx, qy), 0.0)
        return outside + inside - radius

    return sdf


def _circle(cx: float, cy: float, radius: float) -> Shape:
    return lambda x, y: math.hypot(x - cx, y - cy) - radius


def _segment_distance(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)
    t = min(max(t, 0.0), 1.0)
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _triangle(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> Shape:
    corners = (a, b, c)

    def sdf(x: float, y: float) -> float:
        distance = min(
            _segment_distance(x, y, *corners[i], *corners[(i + 1) % 3]) for i in range(3)
        )
        signs = [
            (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])
            for p, q in zip(corners, corners[1:] + corners[:1], strict=True)
        ]
        inside = all(s >= 0 for s in signs) or all(s <= 0 for s in signs)
        return -distance if inside else distance

    return sdf


def _union(*shapes: Shape) -> Shape:
    return lambda x, y: min(shape(x, y) for shape in shapes)


def _bubble(cx: float, cy: float, half_w: float, half_h: float, tail_left: bool) -> Shape:
    """A rounded speech bubble with a small tail at a bottom corner."""
    body = _rounded_rect(cx, cy, half_w, half_h, radius=min(half_w, half_h) * 0.55)
    bottom = cy + half_h
    if tail_left:
        x0 = cx - half_w * 0.55
        tail = _triangle(
            (x0, bottom - 0.05), (x0 + half_w * 0.42, bottom - 0.05), (x0 - 0.04, bottom + 0.13)
        )
    else:
        x0 = cx + half_w * 0.55
        tail = _triangle(
            (x0, bottom - 0.05), (x0 - half_w * 0.42, bottom - 0.05), (x0 + 0.04, bottom + 0.13)
        )
    return _union(body, tail)


def _ring(shape: Shape, width: float) -> Shape:
    """The inner band of ``shape``, ``width`` thick (an outline drawn inside the edge)."""
    return lambda x, y: max(shape(x, y), -width - shape(x, y))


def _dots(cx: float, cy: float, spacing: float, radius: float) -> list[Shape]:
    return [_circle(cx + k * spacing, cy, radius) for k in (-1, 0, 1)]


# ---------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Layer:
    shape: Shape
    rgb: tuple[int, int, int]


def _sample(
    x: float, y: float, background: tuple[int, int, int, int], layers: Sequence[Layer]
) -> tuple[int, int, int, int]:
    r, g, b, a = background
    for layer in layers:
        if layer.shape(x, y) <= 0.0:
            r, g, b = layer.rgb
            a = 255
    return r, g, b, a


def _render(
    size: int, background: tuple[int, int, int, int], layers: Sequence[Layer]
) -> list[bytes]:
    """Rasterise the layers (painted in order) over the background into RGBA rows.

    Pixels near an edge are supersampled (box filter); the others take their centre's colour.
    """
    edge = 0.75 / size  # a bit more than half a pixel diagonal
    step = 1.0 / (size * _SAMPLES)
    offsets = [(k + 0.5) * step for k in range(_SAMPLES)]
    n = _SAMPLES * _SAMPLES
    rows: list[bytes] = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            cx, cy = (px + 0.5) / size, (py + 0.5) / size
            if all(abs(layer.shape(cx, cy)) > edge for layer in layers):
                row += bytes(_sample(cx, cy, background, layers))
                continue
            red = green = blue = alpha = 0
            for oy in offsets:
                for ox in offsets:
                    r, g, b, a = _sample(px / size + ox, py / size + oy, background, layers)
                    # accumulate premultiplied so transparent samples carry no colour
                    red += r * a
                    green += g * a
                    blue += b * a
                    alpha += a
            if alpha == 0:
                row += bytes((0, 0, 0, 0))
            else:
                row += bytes(
                    (
                        round(red / alpha),
                        round(green / alpha),
                        round(blue / alpha),
                        round(alpha / n),
                    )
                )
        rows.append(bytes(row))
    return rows


def color_icon() -> bytes:
    """192x192 full-colour icon: two bubbles on the accent colour."""
    back = _bubble(0.60, 0.37, 0.22, 0.15, tail_left=False)
    front = _bubble(0.43, 0.52, 0.25, 0.17, tail_left=True)
    # a slightly larger copy of the front bubble in the background colour leaves a thin gap
    gap = _bubble(0.43, 0.52, 0.285, 0.205, tail_left=True)
    layers = [
        Layer(back, SOFT),
        Layer(gap, ACCENT),
        Layer(front, WHITE),
        *(Layer(dot, ACCENT) for dot in _dots(0.43, 0.52, 0.11, 0.032)),
    ]
    return encode_png(COLOR_SIZE, COLOR_SIZE, _render(COLOR_SIZE, (*ACCENT, 255), layers))


def outline_icon() -> bytes:
    """32x32 outline icon: a white bubble outline with three dots, transparent elsewhere."""
    bubble = _bubble(0.5, 0.44, 0.42, 0.30, tail_left=True)
    layers = [
        Layer(_ring(bubble, 2.2 / OUTLINE_SIZE), WHITE),
        *(Layer(dot, WHITE) for dot in _dots(0.5, 0.44, 0.21, 0.065)),
    ]
    return encode_png(OUTLINE_SIZE, OUTLINE_SIZE, _render(OUTLINE_SIZE, (*WHITE, 0), layers))


# ---------------------------------------------------------------- PNG encoding and decoding


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(width: int, height: int, rgba_rows: Sequence[bytes]) -> bytes:
    """An 8-bit RGBA PNG (colour type 6), every row unfiltered."""
    if len(rgba_rows) != height or any(len(row) != width * 4 for row in rgba_rows):
        raise ValueError(f"expected {height} rows of {width * 4} bytes")
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rgba_rows)
    return (
        _PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


@dataclass(frozen=True)
class PngImage:
    width: int
    height: int
    color_type: int  # 2 = RGB, 6 = RGBA
    pixels: list[tuple[int, int, int, int]]  # row by row, RGBA (alpha 255 for RGB images)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_png(data: bytes) -> PngImage:
    """Decode a non-interlaced 8-bit RGB or RGBA PNG (enough to check the icons)."""
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG file")
    pos = len(_PNG_SIGNATURE)
    header = b""
    idat = bytearray()
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, color_type, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or color_type not in (2, 6) or interlace:
        raise ValueError(
            f"unsupported PNG: depth {depth}, colour type {color_type}, interlace {interlace}"
        )
    channels = 4 if color_type == 6 else 3
    stride = width * channels
    raw = zlib.decompress(bytes(idat))
    previous = bytearray(stride)
    pixels: list[tuple[int, int, int, int]] = []
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            upper_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                line[i] = (line[i] + _paeth(left, up, upper_left)) & 0xFF
            elif kind != 0:
                raise ValueError(f"unknown PNG filter {kind}")
        for x in range(width):
            px = line[x * channels : (x + 1) * channels]
            pixels.append((px[0], px[1], px[2], px[3] if channels == 4 else 255))
        previous = line
    return PngImage(width, height, color_type, pixels)


# ---------------------------------------------------------------- files

ICON_DIR = Path(__file__).resolve().parent
COLOR_FILE = "color.png"
OUTLINE_FILE = "outline.png"


def write_icons(directory: Path = ICON_DIR) -> list[Path]:
    """(Re)write color.png and outline.png into ``directory``."""
    written = []
    for name, render in ((COLOR_FILE, color_icon), (OUTLINE_FILE, outline_icon)):
        path = directory / name
        path.write_bytes(render())
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_icons():
        print(f"wrote {path}")
