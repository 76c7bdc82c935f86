"""What a piece of evidence shows, in the words school policies and police use.

The grid (contact / conduct / content, each commercial, aggressive, sexual or
values) is the misuse list the schools' social-media policies share; the kinds
after it are what staff report most. Ids are stable: records store the id, so an
id must never be renamed or reused, only added.
"""

from __future__ import annotations

from dataclasses import dataclass

from evidence_kit.capture.errors import UnknownCategory


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    description: str
    group: str
    """"contact", "conduct", "content" for the policy grid; "kind" for the others."""


CATEGORIES: tuple[Category, ...] = (
    Category(
        "threat",
        "Threat",
        "Someone says they will hurt you, your family or your property, or make you fear it.",
        "kind",
    ),
    Category(
        "harassment",
        "Harassment",
        "Repeated unwanted messages or posts aimed at you that cause alarm or distress.",
        "kind",
    ),
    Category(
        "impersonation",
        "Impersonation or fake profile",
        "An account or message pretending to be you, the school or someone else.",
        "kind",
    ),
    Category(
        "images-without-consent",
        "Sharing images without consent",
        "Photos or videos of you (or others) posted or passed on without permission.",
        "kind",
    ),
    Category(
        "false-allegation",
        "False allegation",
        "A public or private claim about your conduct that you say is untrue.",
        "kind",
    ),
    Category(
        "hate",
        "Hate",
        "Abuse aimed at race, religion, disability, sexuality, gender identity or similar.",
        "kind",
    ),
    Category(
        "doxxing",
        "Personal details posted (doxxing)",
        "Your address, phone number, family or other private details made public.",
        "kind",
    ),
    Category(
        "contact-commercial",
        "Contact: commercial",
        "Someone tracking you or gathering your personal information.",
        "contact",
    ),
    Category(
        "contact-aggressive",
        "Contact: aggressive",
        "You are being bullied, harassed or stalked by someone contacting you.",
        "contact",
    ),
    Category(
        "contact-sexual",
        "Contact: sexual",
        "Unwanted sexual approaches, or someone trying to groom or meet a person.",
        "contact",
    ),
    Category(
        "contact-values",
        "Contact: values",
        "Someone pressing harmful ideas on a person, such as self-harm or extremism.",
        "contact",
    ),
    Category(
        "conduct-commercial",
        "Conduct: commercial",
        "Scams, hacking, account takeover, gambling or illegal downloading.",
        "conduct",
    ),
    Category(
        "conduct-aggressive",
        "Conduct: aggressive",
        "Someone bullying or harassing another person online.",
        "conduct",
    ),
    Category(
        "conduct-sexual",
        "Conduct: sexual",
        "Someone making or uploading sexual material that is inappropriate.",
        "conduct",
    ),
    Category(
        "conduct-values",
        "Conduct: values",
        "Someone spreading misleading information or harmful advice.",
        "conduct",
    ),
    Category(
        "content-commercial",
        "Content: commercial",
        "Adverts, spam or sponsored posts, or personal data offered for sale.",
        "content",
    ),
    Category(
        "content-aggressive",
        "Content: aggressive",
        "Violent or hateful material posted for others to see.",
        "content",
    ),
    Category(
        "content-sexual",
        "Content: sexual",
        "Pornographic or unwelcome sexual material about adults. "
        "If it shows a child, stop: do not capture it and use the stop path.",
        "content",
    ),
    Category(
        "content-values",
        "Content: values",
        "Biased, racist or misleading material.",
        "content",
    ),
    Category(
        "other",
        "Other",
        "Anything that does not fit above; say what it is in the note.",
        "kind",
    ),
)

_BY_ID = {category.id: category for category in CATEGORIES}


def category_by_id(category_id: str) -> Category:
    """The category with that id; :class:`UnknownCategory` (a BadInput) otherwise."""
    try:
        return _BY_ID[category_id]
    except (KeyError, TypeError):
        known = ", ".join(_BY_ID)
        raise UnknownCategory(
            f"There is no category {category_id!r}. The categories are: {known}."
        ) from None


def category_ids() -> tuple[str, ...]:
    return tuple(_BY_ID)
