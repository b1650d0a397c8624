"""Issues raised in conversations and the Care Lab's themes. For the lab's organisers and convenors
only (listening/access.py); every other user gets a 404. Reading an issue, the untagged list or a
theme's quotes is audited; so is every change (in listening/themes.py).

Suggested themes are worked out per request from decrypted words (listening/suggest.py) and never
stored; the organiser accepts or rejects each one.
"""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_from_form
from carecommons.listening import suggest, themes
from carecommons.listening.access import (
    get_conversation_for_user,
    get_issue_for_user,
    get_lab_for_user,
    get_theme_for_user,
)
from carecommons.listening.models import Issue, Theme
from carecommons.listening.notes import notes_shown
from carecommons.listening.theme_charts import describe, theme_chart
from carecommons.listening.theme_forms import DecisionForm, IssueForm, IssueThemesForm, ThemeForm
from carecommons.programmes.models import Programme

PER_PAGE = 25
EXCERPT_WORDS = 60


@login_required
def issue_create(request: AuthedRequest, conversation_id: UUID) -> HttpResponse:
    conversation = get_conversation_for_user(request.user, conversation_id)
    words_allowed = notes_shown(conversation)
    form = IssueForm(post_data(request), lab=conversation.lab, words_allowed=words_allowed)
    if request.method == "POST" and form.is_valid():
        try:
            issue = create_from_form(
                form,
                request.user,
                Issue,
                lambda data: themes.add_issue(conversation=conversation, by=request.user, **data),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"Issue “{issue.title}” added.")
            if request.POST.get("then") == "another":
                return redirect("listening:issue_create", conversation_id=conversation.uuid)
            return redirect("listening:issue_detail", issue_id=issue.uuid)
    context = {
        "conversation": conversation,
        "lab": conversation.lab,
        "form": form,
        "words_allowed": words_allowed,
    }
    return render(request, "listening/issue_form.html", context)


def lab_theme(request: AuthedRequest, lab: Programme, theme_id: UUID) -> Theme:
    theme = get_theme_for_user(request.user, theme_id)
    if theme.lab_id != lab.id:
        raise Http404
    return theme


def decide(request: AuthedRequest, issue: Issue, form: DecisionForm) -> None:
    data = form.cleaned_data
    theme = lab_theme(request, issue.conversation.lab, data["theme"])
    accepted = data["decision"] == "accept"
    themes.decide_suggestion(issue=issue, theme=theme, accepted=accepted, by=request.user)
    if accepted:
        messages.success(request, f"Tagged “{issue.title}” with {theme.name}.")
    else:
        messages.success(request, f"{theme.name} will not be suggested for “{issue.title}” again.")


@login_required
def issue_detail(request: AuthedRequest, issue_id: UUID) -> HttpResponse:
    issue = get_issue_for_user(request.user, issue_id)
    lab = issue.conversation.lab
    tagged = list(issue.themes.order_by("name", "id"))
    tags_form = IssueThemesForm(initial={"themes": [theme.uuid for theme in tagged]}, lab=lab)
    if request.method == "POST":
        if request.POST.get("action") == "themes":
            tags_form = IssueThemesForm(request.POST, lab=lab)
            if tags_form.is_valid():
                added, removed = themes.set_issue_themes(
                    issue=issue, themes=tags_form.cleaned_data["themes"], by=request.user
                )
                messages.success(request, f"Themes saved: {added} added, {removed} taken off.")
                return redirect("listening:issue_detail", issue_id=issue.uuid)
        else:
            decision = DecisionForm(request.POST)
            if not decision.is_valid():
                raise Http404
            decide(request, issue, decision)
            return redirect("listening:issue_detail", issue_id=issue.uuid)
    words_ok = themes.words_kept_for(issue)
    words = issue.words if words_ok else ""
    rejected = themes.rejected_themes([issue.pk]).get(issue.pk, set())
    model = themes.suggestion_model(lab)
    skip = rejected | {theme.pk for theme in tagged}
    suggestions = suggest.suggest(themes.note_text(issue.title, words), model, exclude=skip)
    by_id = {theme.pk: theme for theme in lab.themes.all()}
    record_event(actor=request.user, action="listening.issue_viewed", target=issue)
    context = {
        "issue": issue,
        "conversation": issue.conversation,
        "lab": lab,
        "words": words,
        "words_withheld": bool(issue.words) and not words_ok,
        "tagged": tagged,
        "tags_form": tags_form,
        "suggestions": [(by_id[s.theme_id], s) for s in suggestions],
        "rejected": sorted((by_id[pk] for pk in rejected), key=lambda theme: theme.name),
        "has_themes": bool(by_id),
    }
    return render(request, "listening/issue_detail.html", context)


@dataclass(frozen=True)
class ThemeRow:
    figure: themes.ThemeFigure
    chart: str
    summary: str
    per_month: list[tuple[date, int]]


@login_required
def theme_list(request: AuthedRequest, lab_id: UUID) -> HttpResponse:
    lab = get_lab_for_user(request.user, lab_id)
    months, figures = themes.theme_figures(lab)
    scale = max((count for figure in figures for count in figure.per_month), default=0)
    rows = []
    for i, figure in enumerate(figures):
        name = figure.theme.name
        summary = describe(name, months, figure.per_month, issues=figure.issues, people=figure.people)
        chart = theme_chart(f"theme-chart-{i}", name, months, figure.per_month, scale=scale, desc=summary)
        rows.append(ThemeRow(figure, chart, summary, list(zip(months, figure.per_month, strict=True))))
    context = {"lab": lab, "months": months, "rows": rows, "untagged": themes.untagged_issues(lab).count()}
    return render(request, "listening/theme_list.html", context)


@login_required
def theme_create(request: AuthedRequest, lab_id: UUID) -> HttpResponse:
    lab = get_lab_for_user(request.user, lab_id)
    form = ThemeForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            theme = create_from_form(
                form, request.user, Theme, lambda data: themes.create_theme(lab=lab, by=request.user, **data)
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, f"Theme “{theme.name}” added.")
            return redirect("listening:theme_list", lab_id=lab.uuid)
    return render(request, "listening/theme_form.html", {"lab": lab, "form": form})


@dataclass(frozen=True)
class UntaggedRow:
    issue: Issue
    excerpt: str
    suggestions: list[tuple[Theme, suggest.Suggestion]]


def excerpt(words: str) -> str:
    parts = words.split()
    return " ".join(parts[:EXCERPT_WORDS]) + (" …" if len(parts) > EXCERPT_WORDS else "")


@login_required
def untagged(request: AuthedRequest, lab_id: UUID) -> HttpResponse:
    lab = get_lab_for_user(request.user, lab_id)
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if not form.is_valid() or form.cleaned_data["issue"] is None:
            raise Http404
        issue = get_issue_for_user(request.user, form.cleaned_data["issue"])
        if issue.conversation.lab_id != lab.id:
            raise Http404
        decide(request, issue, form)
        page_number = request.POST.get("page", "")
        query = f"?page={page_number}" if page_number.isdigit() else ""
        return redirect(reverse("listening:untagged", kwargs={"lab_id": lab.uuid}) + query)
    page = Paginator(themes.untagged_issues(lab), PER_PAGE).get_page(request.GET.get("page"))
    issues = list(page.object_list)
    model = themes.suggestion_model(lab)
    rejected = themes.rejected_themes(issue.pk for issue in issues)
    by_id = {theme.pk: theme for theme in lab.themes.all()}
    rows = []
    for issue in issues:
        words = issue.words if issue.words_ok else ""  # type: ignore[attr-defined]
        found = suggest.suggest(
            themes.note_text(issue.title, words), model, exclude=rejected.get(issue.pk, ())
        )
        rows.append(UntaggedRow(issue, excerpt(words), [(by_id[s.theme_id], s) for s in found]))
    record_event(
        actor=request.user,
        action="listening.untagged_viewed",
        target=lab,
        detail={"page": page.number, "issues": len(issues)},
    )
    context = {"lab": lab, "page": page, "rows": rows, "has_themes": bool(by_id)}
    return render(request, "listening/untagged.html", context)


@login_required
def theme_detail(request: AuthedRequest, theme_id: UUID) -> HttpResponse:
    theme = get_theme_for_user(request.user, theme_id)
    issues = (
        theme.issues.select_related("conversation")
        .only("uuid", "title", "created_at", "conversation__held_on")
        .order_by("-conversation__held_on", "-id")
    )
    page = Paginator(issues, PER_PAGE).get_page(request.GET.get("page"))
    voices = themes.voices(theme)
    record_event(
        actor=request.user,
        action="listening.theme_viewed",
        target=theme,
        detail={"quotes": len(voices.quotes)},
    )
    context = {"theme": theme, "lab": theme.lab, "page": page, "voices": voices}
    return render(request, "listening/theme_detail.html", context)
