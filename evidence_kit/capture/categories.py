"""What a piece of evidence shows, in plain words, with the school policies' own terms.

The kinds staff report most come first, in their own words. The grid (contact / conduct /
content, each commercial, aggressive, sexual or values) is the misuse list the schools'
social-media policies share; its entries have plain labels too, and keep the grid's name
as ``code``, shown as a second line. Ids are stable: records store the id, so an
id must never be renamed or reused, only added.
"""

from __future__ import annotations

from dataclasses import dataclass

from evidence_kit.capture.errors import UnknownCategory


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    """Plain words, what a person would call it; the list shows these first."""
    description: str
    group: str
    """"contact", "conduct", "content" for the policy grid; "kind" for the others."""
    code: str = ""
    """The policy grid's own name ("Contact: aggressive"), shown as a second line under
    the label; empty for the kinds outside the grid."""


def _grid(id_: str, label: str, description: str) -> Category:
    area, kind = id_.split("-")
    return Category(id_, label, description, area, f"{area.capitalize()}: {kind}")


CATEGORIES: tuple[Category, ...] = (
    # The plain kinds first: what staff meet most, in their own words.
    Category("threat", "Threat",
             "Someone says they will hurt you, your family or your property, or make you "
             "fear it.", "kind"),
    Category("harassment", "Harassment",
             "Repeated unwanted messages or posts aimed at you that cause alarm or "
             "distress.", "kind"),
    Category("impersonation", "Impersonation or fake profile",
             "An account or message pretending to be you, the school or someone else.",
             "kind"),
    Category("images-without-consent", "Sharing my images without consent",
             "Photos or videos of you (or others) posted or passed on without permission.",
             "kind"),
    Category("false-allegation", "False allegation",
             "A public or private claim about your conduct that you say is untrue.", "kind"),
    Category("hate", "Hate",
             "Abuse aimed at race, religion, disability, sexuality, gender identity or "
             "similar.", "kind"),
    Category("doxxing", "My personal details posted",
             "Your address, phone number, family or other private details made public "
             "(doxxing).", "kind"),
    _grid("content-sexual", "Sexual content",
          "Pornographic or unwelcome sexual material about adults. "
          "If it shows a child, stop: do not capture it and use the stop path."),
    Category("other", "Other",
             "Anything that does not fit the list; say what it is in the note.", "kind"),
    # Then the rest of the policies' contact / conduct / content grid, in plain words,
    # each with the grid's name as its second line.
    _grid("contact-aggressive", "Bullying, harassing or stalking me",
          "You are being bullied, harassed or stalked by someone contacting you."),
    _grid("contact-commercial", "Tracking me or gathering my details",
          "Someone tracking you or gathering your personal information."),
    _grid("contact-sexual", "Unwanted sexual approaches or grooming",
          "Unwanted sexual approaches, or someone trying to groom or meet a person."),
    _grid("contact-values", "Pushing harmful ideas on someone",
          "Someone pressing harmful ideas on a person, such as self-harm or extremism."),
    _grid("conduct-aggressive", "Bullying or harassing someone else",
          "Someone bullying or harassing another person online."),
    _grid("conduct-commercial", "Scams, hacking or account takeover",
          "Scams, hacking, account takeover, gambling or illegal downloading."),
    _grid("conduct-sexual", "Making or sharing sexual material",
          "Someone making or uploading sexual material that is inappropriate."),
    _grid("conduct-values", "Misleading information or harmful advice",
          "Someone spreading misleading information or harmful advice."),
    _grid("content-aggressive", "Violent or hateful material",
          "Violent or hateful material posted for others to see."),
    _grid("content-commercial", "Adverts, spam or my data for sale",
          "Adverts, spam or sponsored posts, or personal data offered for sale."),
    _grid("content-values", "Biased, racist or misleading material",
          "Biased, racist or misleading material."),
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
