"""Draw the site's icon (two linked rings: "Kết Nối", connection) as an SVG and as the PNGs a
browser or a phone's home screen asks for. Run once; the files are committed:

    .venv/bin/python scripts/make_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "ketnoi/core/static/core/icons"
BLUE, WHITE, GOLD = "#1f5f8b", "#ffffff", "#f2b134"
# On a 512 grid: the background's corner radius, the rings' centres, radius and stroke.
CORNER, RADIUS, STROKE = 96, 108, 44
RINGS = (((196, 256), WHITE), ((316, 256), GOLD))

SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
  <title>Kết Nối</title>
  <rect width="512" height="512" rx="{CORNER}" fill="{BLUE}"/>
  <g fill="none" stroke-width="{STROKE}">
    <circle cx="{RINGS[0][0][0]}" cy="{RINGS[0][0][1]}" r="{RADIUS}" stroke="{RINGS[0][1]}"/>
    <circle cx="{RINGS[1][0][0]}" cy="{RINGS[1][0][1]}" r="{RADIUS}" stroke="{RINGS[1][1]}"/>
  </g>
</svg>
"""


def draw(size: int, *, rounded: bool = True) -> Image.Image:
    scale = 4  # drawn large, then reduced: smooth edges
    big = 512 * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=CORNER * scale if rounded else 0, fill=BLUE)
    for (cx, cy), colour in RINGS:
        r = RADIUS * scale
        half = STROKE * scale // 2
        pen.ellipse(
            (cx * scale - r - half, cy * scale - r - half, cx * scale + r + half, cy * scale + r + half),
            outline=colour,
            width=STROKE * scale,
        )
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "favicon.svg").write_text(SVG, encoding="utf-8")
    for size in (32, 192, 512):
        draw(size).save(OUT / (f"favicon-{size}.png" if size == 32 else f"icon-{size}.png"), optimize=True)
    # A phone may cut a maskable icon to any shape: the background fills the square.
    draw(512, rounded=False).save(OUT / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
