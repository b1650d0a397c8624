"""Offline theme suggestion (listening/suggest.py): how often it is right, and what it costs.

1. Accuracy, leave-one-out, on the demo's Riverside Care Lab (`carecommons demo`): each tagged issue
   in turn is taken out, the themes are rebuilt from the others (names, descriptions, tagged
   issues), and the issue counts as a hit if one of its themes is among the suggestions the page
   would show (at most 3, score ≥ 0.15). The anchor is the naive rule "suggest the 3 themes used
   most often", scored the same way on the same issues.
2. Cost: building the suggestion model from MAX_TAGGED (1,000) tagged issues, as the issue and
   untagged pages do on every request, median of 5 runs. The anchor is only loading and
   decrypting those same issues, which the model cannot avoid.
"""

import random
import statistics
import sys
import time
from collections import Counter
from io import StringIO

import support

RUNS = 5
SEED = 20261122


def demo_accuracy() -> tuple[float, float, int]:
    from django.core.management import call_command

    from carecommons.listening import suggest, themes
    from carecommons.listening.models import Issue, Theme
    from carecommons.programmes.models import Programme

    call_command("demo", stdout=StringIO())
    lab = Programme.objects.get(name="Riverside Care Lab")
    lab_themes = list(Theme.objects.filter(lab=lab).order_by("id"))
    issues = list(
        Issue.objects.filter(conversation__lab=lab, themes__isnull=False)
        .distinct()
        .annotate(words_ok=themes.words_kept())
        .prefetch_related("themes")
    )
    texts = {i.pk: themes.note_text(i.title, i.words if i.words_ok else "") for i in issues}  # type: ignore[attr-defined]
    tags = {i.pk: {t.pk for t in i.themes.all()} for i in issues}
    seeds = [suggest.ThemeText(t.pk, t.name, t.description) for t in lab_themes]
    hits = naive_hits = 0
    for issue in issues:
        others = [other for other in issues if other.pk != issue.pk]
        model = suggest.build(seeds, [suggest.Note(texts[o.pk], frozenset(tags[o.pk])) for o in others])
        shown = {s.theme_id for s in suggest.suggest(texts[issue.pk], model)}
        hits += bool(shown & tags[issue.pk])
        used = Counter(theme_id for o in others for theme_id in tags[o.pk])
        naive = {theme_id for theme_id, _ in sorted(used.items(), key=lambda kv: (-kv[1], kv[0]))[:3]}
        naive_hits += bool(naive & tags[issue.pk])
    return hits / len(issues), naive_hits / len(issues), len(issues)


def model_cost() -> tuple[float, float]:
    from datetime import date, timedelta

    from carecommons.listening import themes
    from carecommons.listening.models import Issue
    from carecommons.listening.tests.factories import make_lab, make_person, record_conversation
    from carecommons.programmes.models import Programme

    demo = Programme.objects.get(name="Riverside Care Lab")
    source = [
        (i.title, i.words) for i in Issue.objects.filter(conversation__lab=demo).exclude(words__isnull=True)
    ]
    words = " ".join(words for _, words in source).split()
    lab_themes = [t for t in demo.themes.all()]
    organiser = support.make_convenor()
    lab = make_lab("Bench Care Lab", organiser=organiser)
    copies = [
        themes.create_theme(lab=lab, by=None, name=t.name, description=t.description) for t in lab_themes
    ]
    rng = random.Random(SEED)
    person = make_person("Bench", "Talker")
    for n in range(themes.MAX_TAGGED):
        conversation = record_conversation(
            lab, by=organiser, person=person, held_on=date(2026, 1, 1) + timedelta(days=n % 300)
        )
        text = " ".join(rng.choice(words) for _ in range(rng.randint(15, 60)))
        themes.add_issue(
            conversation=conversation, by=None, title=f"Issue {n}", words=text, themes=rng.sample(copies, 2)
        )
    support.log(f"made {themes.MAX_TAGGED} tagged issues")

    def timed(work: object) -> float:
        runs = []
        for _ in range(RUNS):
            started = time.perf_counter()
            work()  # type: ignore[operator]
            runs.append(time.perf_counter() - started)
        return statistics.median(runs)

    def decrypt_only() -> None:
        for issue in Issue.objects.filter(conversation__lab=lab).only("id", "title", "words"):
            assert issue.words is not None

    return timed(lambda: themes.suggestion_model(lab)), timed(decrypt_only)


def main() -> int:
    support.setup_django()
    from carecommons.listening import themes

    accuracy, naive, count = demo_accuracy()
    support.log(
        f"leave-one-out over {count} tagged demo issues: {accuracy:.0%} (most-used themes: {naive:.0%})"
    )
    print(support.line("theme_suggestion_top3_hit_rate", accuracy, "share", naive), flush=True)
    seconds, decrypting = model_cost()
    print(support.line(f"theme_suggestion_model_{themes.MAX_TAGGED}", seconds, "s", decrypting), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
