"""Screenshots of social posts and chats, drawn here with real fonts (Pillow + raqm)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
ARABIC = "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"

POST = ("@mr_bigmouth: everyone knows where Mrs Jones lives",
        "14 Acacia Avenue, go round there tonight",
        "Dw i'n gwybod ble mae hi'n byw",
        "Wszyscy wiedzą, gdzie ona mieszka",
        "Liked by 214 people · 3 hours ago")
OTHER_POST = ("@someone_else: lovely sunset at the beach today",
              "Photos from our trip to Tenby last weekend",
              "Beautiful weather for it",
              "Thanks to everyone who came along",
              "Liked by 3 people · 5 hours ago")
URDU = "سب جانتے ہیں کہ وہ کہاں رہتی ہے"


def chat(lines: Sequence[str], size: tuple[int, int] = (1280, 800), *, shift: int = 0,
         rtl: str | None = None, fmt: str = "PNG") -> bytes:
    """A post in a site's frame: a blue bar, bubbles of text, a picture under them."""
    width, height = size
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(LATIN, 24)
    draw.rectangle((0, 0, width, 60), fill=(59, 89, 152))
    draw.text((20 + shift, 16), "Parents of Hillside", fill="white", font=font)
    y = 100
    for n, line in enumerate(lines):
        right = 40 + shift + draw.textlength(line, font=font) + 40
        draw.rounded_rectangle((40 + shift, y - 8, right, y + 38), 14,
                               fill=(228, 238, 252) if n % 2 else (240, 240, 240))
        draw.text((60 + shift, y), line, fill="black", font=font)
        y += 64
    if rtl:
        arabic = ImageFont.truetype(ARABIC, 30)
        draw.text((width - 60, y + 10), rtl, fill="black", font=arabic, anchor="ra",
                  direction="rtl", language="ur")
        y += 80
    if y + 60 < height:
        draw.rectangle((40 + shift, y + 20, min(width - 40, 560 + shift),
                        min(height - 20, y + 260)), fill=(200, 120, 80))
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def rescaled_jpeg(data: bytes, factor: float = 0.75) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        small = image.convert("RGB").resize((int(image.width * factor),
                                              int(image.height * factor)))
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=70)
    return out.getvalue()
