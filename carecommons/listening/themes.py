"""Issues and themes: adding an issue to a conversation, creating themes, tagging issues with them and
answering suggested themes. Each write is one transaction and leaves an audit event with ids only,
never what was said. Below the writes are the reads the theme pages share: counts per month, the
quotes people agreed to, and suggestions (worked out by listening/suggest.py, in memory).

A person's words are used, shown or quoted only while their consent to conversation notes is
current; a quote also needs their current consent to be quoted. Both are checked when the page is
read, so a withdrawal takes effect at once.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.listening import suggest
from carecommons.listening.models import Conversation, Issue, Theme, ThemeDecision
from carecommons.listening.notes import notes_shown, words_kept
from carecommons.people.consent import consented
from carecommons.people.models import ConsentPurpose, Person
from carecommons.programmes.models import Programme

MAX_TAGGED = 1000  # the most recent tagged issues suggestions learn from (bench/bench_theme_suggestions.py)
MONTHS_SHOWN = 12
QUOTES_SHOWN = 20
MAX_QUOTABLE = 2000  # issues decrypted to find a theme's quotes (about 0.25 s)
BREAKDOWN_MIN_PEOPLE = 3
NAME_WORD = re.compile(r"[^\W\d_]{3,}")
IssueThemes = Issue.themes.through


# --- Writes -------------------------------------------------------------------------------------


def check_title(title: str, person: Person) -> None:
    """Titles are shown on theme pages, so a title naming the person is refused."""
    names = {
        word.casefold()
        for name in (person.given_name, person.family_name, person.preferred_name)
        for word in NAME_WORD.findall(name)
    }
    named = [word for word in NAME_WORD.findall(title) if word.casefold() in names]
    if named:
        words = f"Leave names out of the title (it says “{named[0]}”): titles are shown on theme pages."
        raise ValidationError({"title": words})


def check_same_lab(lab_id: int, themes: Iterable[Theme]) -> None:
    if any(theme.lab_id != lab_id for theme in themes):
        raise ValidationError({"themes": "Choose themes of this Care Lab."})


@transaction.atomic
def add_issue(
    *, conversation: Conversation, by: User | None, title: str, words: str = "", themes: Iterable[Theme] = ()
) -> Issue:
    """An issue raised in a conversation. Their words are kept only if they agreed to notes."""
    themes = list(themes)
    title, words = title.strip(), words.strip()
    check_title(title, conversation.person)
    check_same_lab(conversation.lab_id, themes)
    if words and not notes_shown(conversation):
        raise ValidationError(
            {"words": "They have not agreed to notes being kept, so their words cannot be."}
        )
    issue = Issue(conversation=conversation, title=title, words=words)
    issue.full_clean()
    issue.save()
    issue.themes.set(themes)
    record_event(
        actor=by,
        action="listening.issue_added",
        target=issue,
        detail={
            "conversation": str(conversation.uuid),
            "themes": sorted(str(theme.uuid) for theme in themes),
            "words_kept": bool(words),
        },
    )
    return issue


@transaction.atomic
def create_theme(*, lab: Programme, by: User | None, name: str, description: str = "") -> Theme:
    name = " ".join(name.split())
    if Theme.objects.filter(lab=lab, name__iexact=name).exists():
        raise ValidationError({"name": f"This Care Lab already has a theme called “{name}”."})
    theme = Theme(lab=lab, name=name, description=description.strip())
    theme.full_clean(exclude=["lab"], validate_unique=False)
    try:
        with transaction.atomic():
            theme.save()
    except IntegrityError:  # someone made the same theme a moment ago
        raise ValidationError({"name": f"This Care Lab already has a theme called “{name}”."}) from None
    record_event(actor=by, action="listening.theme_created", target=theme, detail={"lab": str(lab.uuid)})
    return theme


@transaction.atomic
def tag_issue(*, issue: Issue, theme: Theme, by: User | None) -> bool:
    """Tag the issue with the theme; False if it already was."""
    check_same_lab(issue.conversation.lab_id, [theme])
    if issue.themes.filter(pk=theme.pk).exists():
        return False
    issue.themes.add(theme)
    record_event(actor=by, action="listening.issue_tagged", target=issue, detail={"theme": str(theme.uuid)})
    return True


@transaction.atomic
def untag_issue(*, issue: Issue, theme: Theme, by: User | None) -> bool:
    """Take the theme off the issue; False if it was not on it."""
    removed, _ = IssueThemes.objects.filter(issue=issue, theme=theme).delete()
    if removed:
        record_event(
            actor=by, action="listening.issue_untagged", target=issue, detail={"theme": str(theme.uuid)}
        )
    return bool(removed)


@transaction.atomic
def set_issue_themes(*, issue: Issue, themes: Iterable[Theme], by: User | None) -> tuple[int, int]:
    """Make the issue's themes exactly `themes`. Returns how many were added and taken off."""
    wanted = {theme.pk: theme for theme in themes}
    check_same_lab(issue.conversation.lab_id, wanted.values())
    current = {theme.pk: theme for theme in issue.themes.all()}
    added = [tag_issue(issue=issue, theme=wanted[pk], by=by) for pk in sorted(wanted.keys() - current.keys())]
    gone = [
        untag_issue(issue=issue, theme=current[pk], by=by) for pk in sorted(current.keys() - wanted.keys())
    ]
    return sum(added), sum(gone)


@transaction.atomic
def decide_suggestion(*, issue: Issue, theme: Theme, accepted: bool, by: User | None) -> ThemeDecision:
    """The organiser's answer to a suggested theme. Accepting tags the issue; a rejected theme is not
    suggested for this issue again. Sending the same answer twice changes nothing."""
    check_same_lab(issue.conversation.lab_id, [theme])
    decision, created = ThemeDecision.objects.get_or_create(
        issue=issue, theme=theme, defaults={"accepted": accepted, "decided_by": by}
    )
    changed = created or decision.accepted != accepted
    if not created and changed:
        decision.accepted, decision.decided_by = accepted, by
        decision.save(update_fields=["accepted", "decided_by", "updated_at"])
    if changed:
        action = "accepted" if accepted else "rejected"
        detail = {"theme": str(theme.uuid)}
        record_event(actor=by, action=f"listening.theme_suggestion_{action}", target=issue, detail=detail)
    if accepted:
        tag_issue(issue=issue, theme=theme, by=by)
    return decision


# --- Suggestions --------------------------------------------------------------------------------


def note_text(title: str, words: str) -> str:
    return f"{title}. {words}" if words else title


def suggestion_model(lab: Programme) -> suggest.Model:
    """Centres for the lab's themes from its most recent tagged issues, in memory (three queries).
    Words count only while the person still agrees to notes; the title always counts."""
    themes = list(Theme.objects.filter(lab=lab).order_by("id"))
    tagged = (
        Issue.objects.filter(conversation__lab=lab)
        .filter(Exists(IssueThemes.objects.filter(issue=OuterRef("pk"))))
        .annotate(words_ok=words_kept())
        .order_by("-created_at", "-id")
        .only("id", "title", "words")[:MAX_TAGGED]
    )
    texts = {issue.id: note_text(issue.title, issue.words if issue.words_ok else "") for issue in tagged}
    tags: dict[int, set[int]] = {}
    links = IssueThemes.objects.filter(theme__lab=lab).order_by("issue_id", "theme_id")
    for issue_id, theme_id in links.values_list("issue_id", "theme_id"):
        if issue_id in texts:
            tags.setdefault(issue_id, set()).add(theme_id)
    return suggest.build(
        [suggest.ThemeText(theme.id, theme.name, theme.description) for theme in themes],
        [suggest.Note(text, frozenset(tags.get(issue_id, ()))) for issue_id, text in texts.items()],
    )


def rejected_themes(issue_ids: Iterable[int]) -> dict[int, set[int]]:
    rejected: dict[int, set[int]] = {}
    decisions = ThemeDecision.objects.filter(issue_id__in=list(issue_ids), accepted=False)
    for issue_id, theme_id in decisions.values_list("issue_id", "theme_id"):
        rejected.setdefault(issue_id, set()).add(theme_id)
    return rejected


# --- Counts over time ---------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_ending(last: date, count: int = MONTHS_SHOWN) -> list[date]:
    months, year, month = [], last.year, last.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


@dataclass(frozen=True)
class ThemeFigure:
    theme: Theme
    issues: int
    people: int
    last_raised: date | None
    per_month: tuple[int, ...]

    @property
    def earlier(self) -> int:
        """Issues from before the months shown (they count in the totals)."""
        return self.issues - sum(self.per_month)


def theme_figures(lab: Programme, *, today: date | None = None) -> tuple[list[date], list[ThemeFigure]]:
    """Each theme's issues, people and issues per month (by the conversation's date) over the last
    twelve months: two queries, however many themes and issues."""
    themes = (
        Theme.objects.filter(lab=lab)
        .annotate(
            issue_count=Count("issues", distinct=True),
            people=Count("issues__conversation__person", distinct=True),
            last_raised=Max("issues__conversation__held_on"),
        )
        .order_by("name", "id")
    )
    monthly = (
        Issue.objects.filter(conversation__lab=lab, themes__isnull=False)
        .annotate(month=TruncMonth("conversation__held_on"))
        .values_list("themes", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(theme_id, month): n for theme_id, month, n in monthly}
    latest = max([month for _, month in counts], default=None)
    end = month_start(today or timezone.localdate())
    months = months_ending(max(end, latest) if latest else end)
    figures = [
        ThemeFigure(
            theme=theme,
            issues=theme.issue_count,  # type: ignore[attr-defined]
            people=theme.people,  # type: ignore[attr-defined]
            last_raised=theme.last_raised,  # type: ignore[attr-defined]
            per_month=tuple(counts.get((theme.id, month), 0) for month in months),
        )
        for theme in themes
    ]
    return months, figures


# --- In whose words -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    words: str
    month: date


@dataclass(frozen=True)
class Voices:
    quotes: list[Quote]  # the most recent QUOTES_SHOWN
    all_quotes: int
    quoted_people: int
    people: int

    @property
    def others(self) -> int:
        return self.people - self.quoted_people

    @property
    def breakdown_shown(self) -> bool:
        """Fewer than three people: saying how many agreed could point at one of them."""
        return self.people >= BREAKDOWN_MIN_PEOPLE


def voices(theme: Theme) -> Voices:
    """The words of people who, right now, agree both to notes and to being quoted; no names, the
    month only. Three queries."""
    in_theme = Issue.objects.filter(themes=theme)
    people = in_theme.values("conversation__person").distinct().count()
    quotable = (
        in_theme.filter(
            consented(ConsentPurpose.QUOTES, of="conversation__person"),
            conversation__notes_consented=True,
        )
        .filter(words_kept())
        .select_related("conversation")
        .only("id", "words", "conversation__held_on", "conversation__person_id")
        .order_by("-conversation__held_on", "-id")[:MAX_QUOTABLE]
    )
    quotes, quoted = [], set()
    for issue in quotable:
        if issue.words:
            quotes.append(Quote(issue.words, month_start(issue.conversation.held_on)))
            quoted.add(issue.conversation.person_id)
    return Voices(quotes[:QUOTES_SHOWN], all_quotes=len(quotes), quoted_people=len(quoted), people=people)


def words_kept_for(issue: Issue) -> bool:
    return Issue.objects.filter(pk=issue.pk).filter(words_kept()).exists()


def untagged_issues(lab: Programme) -> QuerySet[Issue]:
    """The lab's issues with no theme yet, newest conversation first, each knowing whether its
    words may be shown."""
    return (
        Issue.objects.filter(conversation__lab=lab)
        .exclude(Exists(IssueThemes.objects.filter(issue=OuterRef("pk"))))
        .select_related("conversation")
        .annotate(words_ok=words_kept())
        .order_by("-conversation__held_on", "-id")
    )
