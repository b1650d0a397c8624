"""What a ballot holds, what a decision sets, and whether a ballot is one its kind allows.

Pure: no Django. Ballots are plain data, so the same rules check a ballot typed into a form, one a
facilitator records from a show of hands, and every ballot counted.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from carecommons.decisions.schema import Kind


class BallotError(ValueError):
    """A ballot or a decision's setup that cannot be counted; the message is in plain words."""


@dataclass(frozen=True)
class Ballot:
    """`choices`: the option chosen, the options chosen, or the ranking, best first.
    `marks`: dots or points per option. `resolved`: an objection the group has since resolved."""

    choices: tuple[str, ...] = ()
    marks: Mapping[str, int] = field(default_factory=dict)
    reason: str = ""
    resolved: bool = False


@dataclass(frozen=True)
class Setup:
    """What one decision sets within its kind. `options` are its own option keys, in the order it
    lists them (empty for kinds with options of their own); `dots` and `most_choices` narrow the
    kind's; `quorum` is the share of `members` who must vote, `vote_share` the agreeing share of
    those who took a side."""

    options: tuple[str, ...] = ()
    dots: int | None = None
    most_choices: int | None = None
    quorum: Fraction | None = None
    vote_share: Fraction | None = None
    members: int = 0


def option_keys(kind: Kind, setup: Setup) -> tuple[str, ...]:
    return setup.options if kind.options_from == "decision" else tuple(o.key for o in kind.options)


def dot_budget(kind: Kind, setup: Setup) -> int:
    return kind.dots if setup.dots is None else setup.dots


def most_choices(kind: Kind, setup: Setup) -> int:
    limits = [len(option_keys(kind, setup)), kind.most_choices, setup.most_choices]
    return min(limit for limit in limits if limit is not None)


def setup_errors(kind: Kind, setup: Setup) -> list[str]:
    errors = []
    if kind.options_from == "decision":
        count = len(setup.options)
        if not kind.fewest_options <= count <= kind.most_options:
            errors.append(f"List between {kind.fewest_options} and {kind.most_options} options.")
        if len(set(setup.options)) != count or not all(key.strip() for key in setup.options):
            errors.append("Give each option once, and give it a name.")
    elif setup.options:
        errors.append(f"{kind.words.name} has its own options.")
    if setup.dots is not None and (kind.shape != "dots" or setup.dots < 1):
        errors.append("Only a dot vote has dots, and at least one each.")
    if setup.most_choices is not None and (kind.shape != "some" or setup.most_choices < kind.fewest_choices):
        errors.append(f"Allow at least {kind.fewest_choices} choice(s), and only in a multiple choice.")
    if setup.quorum is not None and (not kind.quorum or not 0 < setup.quorum <= 1):
        errors.append("A quorum is a share between 0 and 1, and only for kinds that count votes.")
    if setup.vote_share is not None and (not kind.vote_share or not 0 < setup.vote_share <= 1):
        errors.append("A vote share is a share between 0 and 1, and only for proposals.")
    if setup.members < 0:
        errors.append("The number of members cannot be below 0.")
    return errors


def validate_ballot(kind: Kind, ballot: Ballot, setup: Setup | None = None) -> list[str]:
    """Everything wrong with this ballot for this kind, in plain words; an empty list when none."""
    return BallotRules.of(kind, setup or Setup()).errors(ballot)


@dataclass(frozen=True)
class BallotRules:
    """A kind's ballot rules with one decision's options worked out once, for checking many."""

    kind: Kind
    options: tuple[str, ...]
    known: frozenset[str]
    fewest: int
    most: int
    budget: int

    @classmethod
    def of(cls, kind: Kind, setup: Setup) -> "BallotRules":
        options = option_keys(kind, setup)
        return cls(
            kind,
            options,
            frozenset(options),
            kind.fewest_choices,
            most_choices(kind, setup),
            dot_budget(kind, setup),
        )

    def errors(self, ballot: Ballot) -> list[str]:
        kind = self.kind
        errors = self.shape_errors(ballot)
        if kind.reason == "required" or kind.reason_required_for:
            needed = kind.reason == "required" or not set(ballot.choices).isdisjoint(kind.reason_required_for)
            if needed and not ballot.reason.strip():
                errors.append(f"Give a reason: {kind.words.reason_prompt}")
        if ballot.resolved and not (
            kind.blocks_until_resolved and not set(ballot.choices).isdisjoint(kind.blocks)
        ):
            errors.append("Only an objection can be marked resolved.")
        return errors

    def shape_errors(self, ballot: Ballot) -> list[str]:
        shape, known = self.kind.shape, self.known
        if not known.issuperset(ballot.choices) or not known.issuperset(ballot.marks):
            unknown = next(key for key in (*ballot.choices, *ballot.marks) if key not in known)
            return [f"“{unknown}” is not one of the options."]
        if shape in ("dots", "marks", "words") and ballot.choices:
            return ["Choose nothing here: this kind takes marks or words."]
        if shape in ("one", "some", "ranking", "words") and ballot.marks:
            return ["Give no marks here: this kind takes choices."]
        if len(set(ballot.choices)) != len(ballot.choices):
            return ["Choose each option only once."]
        if shape == "one" and len(ballot.choices) != 1:
            return ["Choose one option."]
        if shape in ("some", "ranking") and not self.fewest <= len(ballot.choices) <= self.most:
            verb = "Rank" if shape == "ranking" else "Choose"
            return [f"{verb} between {self.fewest} and {self.most} options."]
        if shape == "dots":
            return dot_errors(ballot.marks, self.budget, self.fewest)
        if shape == "marks":
            return self.mark_errors(ballot.marks)
        return []

    def mark_errors(self, marks: Mapping[str, int]) -> list[str]:
        if missing := [key for key in self.options if key not in marks]:
            return [f"Give every option a mark: “{missing[0]}” has none."]
        if any(value not in self.kind.scale_values for value in marks.values()):
            return [f"Use only the marks offered: {', '.join(p.label for p in self.kind.scale)}."]
        return []


def dot_errors(marks: Mapping[str, int], budget: int, fewest: int) -> list[str]:
    if any(isinstance(value, bool) or not isinstance(value, int) or value < 0 for value in marks.values()):
        return ["Place whole dots, none below 0."]
    placed = sum(marks.values())
    if placed > budget:
        return [f"You have {budget} dots; this ballot places {placed}."]
    if placed < fewest:
        return ["Place at least one dot."]
    return []
