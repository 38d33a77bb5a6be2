"""Draws the PWA icons (PNG) from the design of web/static/web/icon.svg: a rounded teal square
with a white house and an orange dot. Not used at runtime; run it after changing the design and
commit the PNGs it writes next to itself:

    .venv/bin/python src/schoolpoort/web/static/web/icons/make_icons.py
"""

import math
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
BRAND = "#0f5c58"  # --brand in schoolpoort.css
ACCENT = "#f2a541"  # --accent
WHITE = "#ffffff"
SUPERSAMPLE = 8  # draw large, then scale down: smooth edges without an SVG renderer


def house(scale: float, shrink: float = 1.0) -> list[tuple[float, float]]:
    """The house of icon.svg (viewBox 0 0 64 64) as a polygon, shrunk around the centre by `shrink`:
    M14 30 32 16l18 14v18a2 2 0 0 1-2 2H38V38H26v12H16a2 2 0 0 1-2-2z"""

    def arc(cx, cy, start, end, steps=8):
        return [
            (cx + 2 * math.cos(math.radians(start + (end - start) * i / steps)),
             cy + 2 * math.sin(math.radians(start + (end - start) * i / steps)))
            for i in range(steps + 1)
        ]

    points = [(14, 30), (32, 16), (50, 30), *arc(48, 48, 0, 90), (38, 50), (38, 38), (26, 38), (26, 50),
              *arc(16, 48, 90, 180)]
    return [((32 + (x - 32) * shrink) * scale, (32 + (y - 32) * shrink) * scale) for x, y in points]


def draw(size: int, *, rounded: bool, shrink: float = 1.0, background: bool = True, colour: bool = True) -> Image.Image:
    big = size * SUPERSAMPLE
    scale = big / 64
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if background:
        if rounded:
            pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=14 * scale, fill=BRAND)
        else:
            pen.rectangle((0, 0, big, big), fill=BRAND)
    pen.polygon(house(scale, shrink), fill=WHITE)
    cx, cy, r = (32 + (32 - 32) * shrink) * scale, (32 + (29 - 32) * shrink) * scale, 4 * shrink * scale
    # On the monochrome badge the dot is cut out of the house, so it still shows.
    pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=ACCENT if colour else (0, 0, 0, 0))
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    # "any" icons: the rounded square on a transparent background, as in icon.svg.
    draw(192, rounded=True).save(HERE / "icon-192.png", optimize=True)
    draw(512, rounded=True).save(HERE / "icon-512.png", optimize=True)
    # Maskable: full bleed, the house inside the safe zone (a circle of 80 % of the width).
    draw(512, rounded=False, shrink=0.8).save(HERE / "icon-maskable-512.png", optimize=True)
    # iOS rounds the corners itself and shows transparency as black: a full square, no alpha.
    draw(180, rounded=False, shrink=0.9).convert("RGB").save(HERE / "apple-touch-icon.png", optimize=True)
    # Android's status bar badge: a white silhouette on transparency.
    draw(96, rounded=False, shrink=1.3, background=False, colour=False).save(HERE / "badge-96.png", optimize=True)


if __name__ == "__main__":
    main()
