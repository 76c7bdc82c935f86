"""Evidence as recipients meet it, unlike the shared fixtures: a phone screenshot, a
thread captured whole, and notes in many scripts, one of them 100,000 characters."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import NewItem, Vault

PHONE = (1170, 2532)  # an iPhone 12-15 screenshot
THREAD = (1920, 9000)  # a long thread captured whole, about three pages at page width
NOTES = {
    "polish": "Zażółć gęślą jaźń. Wpis pojawił się w grupie rodziców o 21:14.",
    "urdu": "یہ پیغام (دھمکی آمیز) ہے اور میں نے اسے رات کو دیکھا۔",
    "arabic": "قال (مرحبا) له ثم كتب تهديدًا على الصفحة.",
    "hebrew": "עברית (שלום) כאן: ההודעה נמחקה אחר כך.",
    "russian": "Угрозы в комментариях (удалены через час).",
    "chinese": "在评论中受到威胁，家长群里有人转发了截图。",
    "emoji": "He replied 😡🔪 and then 👩🏽‍🏫 🏳️‍🌈 👍🏿",
}
LONG_NOTE = ("What I saw, in order, as I remember it. " * 2600)[:100_000]


def phone_screenshot() -> bytes:
    """A chat screen: status bar, bubbles left and right, lines of dark 'text'."""
    width, height = PHONE
    image = Image.new("RGB", PHONE, (250, 250, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, 140], fill=(18, 18, 18))
    y, row = 200, 0
    while y < height - 260:
        left = row % 2 == 0
        lines = 1 + row % 3
        bubble_h = 40 + lines * 52
        x0, x1 = (40, 780) if left else (390, width - 40)
        draw.rounded_rectangle([x0, y, x1, y + bubble_h], 36,
                               fill=(229, 229, 234) if left else (0, 122, 255))
        for line in range(lines):
            ly = y + 30 + line * 52
            draw.rectangle([x0 + 36, ly, x1 - 36 - (line * 90) % 200, ly + 26],
                           fill=(30, 30, 30) if left else (255, 255, 255))
        y += bubble_h + 34
        row += 1
    draw.rectangle([0, height - 200, width, height], fill=(240, 240, 240))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def thread_capture() -> bytes:
    """A forum thread: posts separated by rules, each a header and lines of 'text'."""
    width, height = THREAD
    image = Image.new("RGB", THREAD, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, 60], fill=(59, 89, 152))
    y, post = 90, 0
    while y < height - 200:
        draw.ellipse([40, y, 110, y + 70], fill=(120, 140, 170))
        draw.rectangle([130, y + 10, 420, y + 34], fill=(59, 89, 152))
        ly = y + 90
        for line in range(3 + post % 5):
            draw.rectangle([130, ly, 130 + 900 + (line * 173 + post * 59) % 800, ly + 18],
                           fill=(28, 30, 33))
            ly += 34
        y = ly + 30
        draw.line([40, y, width - 40, y], fill=(210, 214, 220), width=2)
        y += 30
        post += 1
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def populate(vault: Vault) -> tuple[int, dict[str, int]]:
    """One incident holding the phone screenshot, the thread and notes in every script."""
    save_profile(vault, Profile(name="Joanna Kowalska", role="Head of Year 9",
                                school="Riverside School", initials="JK"))
    incident = vault.create_incident("Threats in the Year 9 parents' chat")
    vault.set_incident_summary(incident.id, "Messages about me in a parents' chat and a "
                               "forum thread, with a threat to wait outside school.")
    items: dict[str, int] = {}
    items["phone"] = vault.add_item(NewItem(
        data=phone_screenshot(), name="IMG_4471.PNG", media_type="image/png",
        incident=incident.id, platform="WhatsApp", account="+44 7700 900123",
        description="The parents' chat: 'we know where she parks'",
        category="threats", note=NOTES["polish"],
    )).id
    items["thread"] = vault.add_item(NewItem(
        data=thread_capture(), name="thread.png", media_type="image/png", method="capture",
        incident=incident.id, platform="Mumsnet", account="Riverside_Dad_77",
        url={"text": "https://www.mumsnet.com/talk/local/4933121-riverside-school-teacher"
                     "?page=2&sort=oldest", "valid": True, "flags": []},
        description="A forum thread naming me, 34 posts", category="harassment",
        details={"capture": {"time_utc": "2026-07-14T17:00:00.000000Z",
                             "monitor": {"index": 1, "width": 1920, "height": 1080},
                             "tool": "mss"}},
    )).id
    for text in NOTES.values():
        vault.add_note(text, item=items["thread"])
    vault.add_note(LONG_NOTE, item=items["phone"])
    vault.record_action(incident.id, "told_slt", "2026-07-15", {"who": "Mrs Patel"})
    return incident.id, items
