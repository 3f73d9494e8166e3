"""The 14 persuasion techniques of the PTC / SemEval-2020 Task 11 scheme, in plain language.

Labels are exactly those of the PTC label files. Definitions are unspin's own wording.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Technique:
    label: str
    name: str
    definition: str
    colour: str  # background for highlights; readable under dark text


TECHNIQUES: dict[str, Technique] = {
    t.label: t
    for t in [
        Technique(
            "Loaded_Language",
            "Loaded language",
            "Words picked for their emotional charge rather than their meaning, to make the reader feel before thinking.",
            "#ffb3b3",
        ),
        Technique(
            "Name_Calling,Labeling",
            "Name calling / labelling",
            "Pinning a label on a person or group (a hero, a traitor, a thug) so the reader judges them by the label.",
            "#ffd08a",
        ),
        Technique(
            "Repetition",
            "Repetition",
            "Saying the same phrase or claim again and again until it sounds true or familiar.",
            "#c9e4ff",
        ),
        Technique(
            "Exaggeration,Minimisation",
            "Exaggeration / minimisation",
            "Making something look far bigger, worse or better than it is, or brushing off something serious as trivial.",
            "#ffe680",
        ),
        Technique(
            "Doubt",
            "Doubt",
            "Questioning someone's credibility or a claim's truth without offering evidence, to leave suspicion behind.",
            "#d9c9ff",
        ),
        Technique(
            "Appeal_to_fear-prejudice",
            "Appeal to fear / prejudice",
            "Stirring fear of a threat, or of a group, to win support for a position or against an alternative.",
            "#ff9ecf",
        ),
        Technique(
            "Flag-Waving",
            "Flag-waving",
            "Leaning on patriotism or group pride ('real Americans', 'our nation') to justify an idea or action.",
            "#a8e6a1",
        ),
        Technique(
            "Causal_Oversimplification",
            "Causal oversimplification",
            "Pinning a complex outcome on a single cause, or a single scapegoat, when many factors are at work.",
            "#9fe0e0",
        ),
        Technique(
            "Slogans",
            "Slogan",
            "A short, catchy phrase that stands in for an argument and invites agreement by rhythm rather than reason.",
            "#f5c16c",
        ),
        Technique(
            "Appeal_to_Authority",
            "Appeal to authority",
            "Treating a claim as true because an authority or expert said it, with no further evidence.",
            "#b8d4a8",
        ),
        Technique(
            "Black-and-White_Fallacy",
            "Black-and-white fallacy",
            "Offering two options as the only ones possible when others exist; 'with us or against us'.",
            "#d0d0d0",
        ),
        Technique(
            "Thought-terminating_Cliches",
            "Thought-terminating cliché",
            "A stock phrase ('it is what it is', 'enough said') that closes down discussion and critical thought.",
            "#e6c3a5",
        ),
        Technique(
            "Whataboutism,Straw_Men,Red_Herring",
            "Whataboutism / straw man / red herring",
            "Deflecting criticism by pointing at someone else's faults, attacking a distorted version of an argument, "
            "or changing the subject.",
            "#c6b3e6",
        ),
        Technique(
            "Bandwagon,Reductio_ad_hitlerum",
            "Bandwagon / reductio ad Hitlerum",
            "Urging agreement because 'everyone' agrees, or rejecting an idea because a hated group is said to hold it.",
            "#f2b8a0",
        ),
    ]
}

LABELS: tuple[str, ...] = tuple(TECHNIQUES)
