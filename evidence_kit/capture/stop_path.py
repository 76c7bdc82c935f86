"""What to do on finding a sexual image of a child: the words the app shows.

Possessing or copying such an image is itself an offence, even to report it, so
this path never captures anything: the app records only text (where, when, who
found it, who has been told) and puts these steps in front of the user. The words
are short and calm on purpose; the reader is likely to be shocked and in a hurry.
"""

from __future__ import annotations

from dataclasses import dataclass

IWF_REPORT_URL = "https://report.iwf.org.uk/"

TITLE = "If you have seen a sexual image of a child"

REASSURANCE = (
    "You have done nothing wrong by coming across it. Take a breath: the steps below are "
    "all you need to do, and you do not have to deal with it on your own."
)


@dataclass(frozen=True)
class Step:
    heading: str
    detail: str


STEPS: tuple[Step, ...] = (
    Step(
        "Do not copy it",
        "Do not take a screenshot, save, download, forward or print it, and do not show "
        "it to anyone, even to prove what you saw. Close the page or app.",
    ),
    Step(
        "Tell your DSL now",
        "Speak to your designated safeguarding lead (or their deputy) straight away, "
        "today. Say where you saw it and when; you do not need to describe it in detail.",
    ),
    Step(
        "The DSL contacts the police and the LADO",
        "Your DSL passes it on to the police and to the Local Authority Designated "
        "Officer. Do not investigate it yourself or contact the person who posted it.",
    ),
    Step(
        "Report the address to the IWF",
        f"You, or your DSL, can report the web address (not the picture) to the "
        f"Internet Watch Foundation at {IWF_REPORT_URL} so it can be taken down. "
        "Reports can be anonymous.",
    ),
)

WHAT_IS_RECORDED = (
    "Evidence Kit keeps only a short written note: the web address and platform if "
    "you have them, when you saw it, who found it and who you have told. It does not "
    "take a picture of your screen and will not accept any file on this path."
)


def steps() -> list[str]:
    """The steps as plain lines, for the command line and any text-only view."""
    return [f"{number}. {step.heading}. {step.detail}" for number, step in enumerate(STEPS, 1)]


def guidance_text() -> str:
    """The whole guidance as one plain-text block."""
    return "\n\n".join([TITLE, REASSURANCE, *steps(), WHAT_IS_RECORDED])
