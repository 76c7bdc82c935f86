"""The part of a pack written for its reader: SLT, the police or the LADO.

The words are factual and neutral. The police section points to the kinds of offence
the material may concern without saying any is made out; that is for the police and
prosecutors. Fields nobody has recorded are left visibly blank to fill in, never
guessed. Each recipient's section is its own module (:mod:`.police`, :mod:`.lado`,
:mod:`.slt`); what they share is in :mod:`.recipient_facts`.
"""

from __future__ import annotations

from evidence_kit.core.referral import HARM_CRITERIA
from evidence_kit.export.lado import lado_rows, lado_section
from evidence_kit.export.police import draft_statement, police_section
from evidence_kit.export.recipient_facts import TO_FILL, summary_rows
from evidence_kit.export.slt import slt_section

__all__ = ["HARM_CRITERIA", "SECTIONS", "SECTION_TITLES", "TO_FILL", "draft_statement",
           "lado_rows", "summary_rows"]

SECTIONS = {"slt": slt_section, "police": police_section, "lado": lado_section}
SECTION_TITLES = {"slt": "For the senior leadership team", "police": "For the police",
                  "lado": "For the LADO: referral details"}
