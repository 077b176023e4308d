"""Draw static/img/icon-*.png from the shapes of static/img/icon.svg (Pillow cannot read SVG)."""

# Run from the project root: .venv/bin/python scripts/make_icons.py
from PIL import Image, ImageDraw


def draw(size, maskable=False):
    s = 4 * size
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    u = s / 64
    if maskable:
        d.rectangle([0, 0, s, s], fill="#8a2e12")
        k = 0.72  # keep the drawing inside the maskable safe zone (the central 80% circle)
    else:
        d.rounded_rectangle([0, 0, s - 1, s - 1], radius=12 * u, fill="#8a2e12")
        k = 1.0
    c = s / 2

    def p(x, y):
        return (c + (x - 32) * u * k, c + (y - 32) * u * k)

    r = 16 * u * k
    cx, cy = p(32, 34)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill="#f08a24")

    # the leaf: M32 18 c2-6 8-8 12-7 -2 5 -7 8 -12 7z, approximated by sampling the curves
    def bez(p0, p1, p2, p3, n=24):
        return [
            tuple(
                (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t**2 * cc + t**3 * dd
                for a, b, cc, dd in zip(p0, p1, p2, p3, strict=True)
            )
            for t in (i / n for i in range(n + 1))
        ]

    pts = bez((32, 18), (34, 12), (40, 10), (44, 11)) + bez((44, 11), (42, 16), (37, 19), (32, 18))
    d.polygon([p(x, y) for x, y in pts], fill="#3f8f3a")
    return img.resize((size, size), Image.LANCZOS)


for size in (192, 512):
    draw(size).save(f"static/img/icon-{size}.png", optimize=True)
draw(512, maskable=True).save("static/img/icon-maskable-512.png", optimize=True)
draw(180, maskable=True).convert("RGB").save("static/img/apple-touch-icon.png", optimize=True)
