"""One-to-one conversations of a Care Lab, and its engagement ladder. Organisers and convenors only."""

from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from carecommons.accounts.http import AuthedRequest
from carecommons.accounts.models import Role
from carecommons.audit.services import record_event
from carecommons.lib.forms import apply_form_errors
from carecommons.lib.http import post_data
from carecommons.lib.once import create_once
from carecommons.listening import services
from carecommons.listening.access import get_conversation_for_user, get_lab_for_user
from carecommons.listening.attention import follow_ups_for
from carecommons.listening.forms import ConversationFilterForm, ConversationForm, LevelForm
from carecommons.listening.models import Conversation, ConversationMethod
from carecommons.listening.notes import notes_shown_with
from carecommons.people.access import own_person
from carecommons.people.models import ConsentPurpose
from carecommons.people.services import current_wording
from carecommons.programmes.labs import labs_organised_by
from carecommons.programmes.models import Programme

PAGE_SIZE = 25
LIST_FIELDS = ("uuid", "lab", "held_on", "method", "follow_up_due", "follow_up_done_at")
PERSON_NAME = ("uuid", "given_name", "family_name", "preferred_name")


@login_required
def lab_list(request: AuthedRequest) -> HttpResponse:
    labs = labs_organised_by(request.user)
    if not request.user.has_role(Role.CONVENOR) and not labs.exists():
        raise Http404
    due = Q(conversations__follow_up_due__isnull=False, conversations__follow_up_done_at__isnull=True)
    labs = labs.annotate(
        conversation_count=Count("conversations"), due_count=Count("conversations", filter=due)
    ).order_by("name")
    return render(request, "listening/lab_list.html", {"labs": labs})


@login_required
def follow_ups(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_role(Role.CONVENOR) and not labs_organised_by(request.user).exists():
        raise Http404
    today = timezone.localdate()
    due = follow_ups_for(request.user, today)
    page = Paginator(due, PAGE_SIZE).get_page(request.GET.get("page"))
    record_event(actor=request.user, action="listening.follow_ups_viewed", target=None)
    return render(request, "listening/follow_ups.html", {"page": page, "today": today})


@login_required
def conversation_list(request: AuthedRequest, lab_id: UUID) -> HttpResponse:
    lab = get_lab_for_user(request.user, lab_id)
    today = timezone.localdate()
    filters = ConversationFilterForm(request.GET or None, lab=lab)
    conversations = (
        filters.apply(lab.conversations.all(), today)
        .select_related("person", "listener", "engagement", "follow_up_owner")
        .only(
            *LIST_FIELDS,
            *(f"{who}__{f}" for who in ("person", "listener", "follow_up_owner") for f in PERSON_NAME),
            "engagement__name",
        )
        .order_by("-held_on", "-id")
    )
    page = Paginator(conversations, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = filters.is_bound and filters.is_valid() and any(filters.cleaned_data.values())
    context = {"lab": lab, "filters": filters, "page": page, "today": today, "filtered": filtered}
    record_event(actor=request.user, action="listening.conversation_list_viewed", target=lab)
    return render(request, "listening/conversation_list.html", context)


@login_required
def conversation_create(request: AuthedRequest, lab_id: UUID) -> HttpResponse:
    lab = get_lab_for_user(request.user, lab_id)
    initial = {"listener": own_person(request.user), "method": ConversationMethod.IN_PERSON}
    wording = current_wording(ConsentPurpose.CONVERSATION)
    form = ConversationForm(post_data(request), lab=lab, wording=wording, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        try:
            conversation = create_once(
                key=form.cleaned_data["submission"],
                user=request.user,
                model=Conversation,
                create=lambda: services.record_conversation(lab=lab, by=request.user, **values),
            )
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            say_what_was_kept(request, conversation)
            return redirect("listening:conversation_detail", conversation_id=conversation.uuid)
    context = {
        "form": form,
        "lab": lab,
        "heading": "Record a conversation",
        "ladder_empty": ladder_empty(lab),
    }
    return render(request, "listening/conversation_form.html", context)


@login_required
def conversation_edit(request: AuthedRequest, conversation_id: UUID) -> HttpResponse:
    conversation = get_conversation_for_user(request.user, conversation_id)
    lab = conversation.lab
    consent = services.conversation_consent(conversation.person)
    wording = current_wording(ConsentPurpose.CONVERSATION)
    form = ConversationForm(
        post_data(request), lab=lab, wording=wording, conversation=conversation, consent=consent
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_conversation(conversation=conversation, by=request.user, **form.service_values())
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            say_what_was_kept(request, conversation)
            return redirect("listening:conversation_detail", conversation_id=conversation.uuid)
    if request.method != "POST":  # the empty form is filled with the decrypted notes
        record_event(actor=request.user, action="listening.conversation_edit_viewed", target=conversation)
    context = {
        "form": form,
        "lab": lab,
        "conversation": conversation,
        "consent": consent,
        "heading": f"Change the conversation with {conversation.person.display_name}",
        "ladder_empty": ladder_empty(lab),
    }
    return render(request, "listening/conversation_form.html", context)


def say_what_was_kept(request: AuthedRequest, conversation: Conversation) -> None:
    if conversation.notes_consented:
        messages.success(request, "Conversation saved.")
        return
    consent = services.conversation_consent(conversation.person)
    if consent is not None and not consent.given:
        why = (
            f"{conversation.person.display_name} withdrew consent for notes on {consent.decided_at:%d %B %Y}"
        )
    else:
        why = "they have not agreed to notes being kept"
    messages.info(request, f"Saved the facts only: {why}, so no notes were kept.")


def ladder_empty(lab: Programme) -> bool:
    return not lab.engagement_levels.exists()


@login_required
def conversation_detail(request: AuthedRequest, conversation_id: UUID) -> HttpResponse:
    conversation = get_conversation_for_user(request.user, conversation_id)
    consent = services.conversation_consent(conversation.person)
    show_notes = notes_shown_with(conversation, consent)
    record_event(actor=request.user, action="listening.conversation_viewed", target=conversation)
    context = {
        "conversation": conversation,
        "lab": conversation.lab,
        "consent": consent,
        "show_notes": show_notes,
        "suggested_people": conversation.suggested_people.all() if show_notes else [],
        "issues": conversation.issues.only("uuid", "title", "created_at"),
        "today": timezone.localdate(),
    }
    return render(request, "listening/conversation_detail.html", context)


@login_required
@require_POST
def follow_up_done(request: AuthedRequest, conversation_id: UUID) -> HttpResponse:
    conversation = get_conversation_for_user(request.user, conversation_id)
    services.mark_follow_up_done(conversation=conversation, by=request.user)
    messages.success(request, "Follow-up marked as done.")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect("listening:conversation_detail", conversation_id=conversation.uuid)


@login_required
def ladder(request: AuthedRequest, lab_id: UUID) -> HttpResponse:
    lab = get_lab_for_user(request.user, lab_id)
    levels = list(lab.engagement_levels.annotate(used=Count("conversations")).order_by("position"))
    forms = {
        level.pk: LevelForm(
            lab=lab,
            level=level,
            prefix=f"level-{level.pk}",
            initial={"name": level.name, "description": level.description},
        )
        for level in levels
    }
    new_form = LevelForm(lab=lab, prefix="new")
    if request.method == "POST":
        action, _, level_id = request.POST.get("action", "").partition(":")
        level = next((lvl for lvl in levels if str(lvl.pk) == level_id), None)
        if action == "start":
            services.ensure_default_ladder(lab=lab, by=request.user)
            messages.success(request, "The suggested ladder is ready. Rename or reorder it as you like.")
            return redirect("listening:ladder", lab_id=lab.uuid)
        if action == "add":
            new_form = LevelForm(request.POST, lab=lab, prefix="new")
            if level_change(request, new_form, lambda d: services.add_level(lab=lab, by=request.user, **d)):
                messages.success(request, "Level added at the top of the ladder.")
                return redirect("listening:ladder", lab_id=lab.uuid)
        elif level is None:
            raise Http404
        elif action == "rename":
            form = forms[level.pk] = LevelForm(request.POST, lab=lab, level=level, prefix=f"level-{level.pk}")
            if level_change(
                request, form, lambda d: services.rename_level(level=level, by=request.user, **d)
            ):
                messages.success(request, "Level saved.")
                return redirect("listening:ladder", lab_id=lab.uuid)
        elif action in ("up", "down"):
            services.move_level(level=level, up=action == "up", by=request.user)
            return redirect("listening:ladder", lab_id=lab.uuid)
        elif action == "remove":
            try:
                services.remove_level(level=level, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"“{level.name}” removed from the ladder.")
            return redirect("listening:ladder", lab_id=lab.uuid)
        else:
            raise Http404
    rungs = [(n, level, forms[level.pk]) for n, level in reversed(list(enumerate(levels, start=1)))]
    context = {"lab": lab, "rungs": rungs, "new_form": new_form, "suggested": services.DEFAULT_LADDER}
    return render(request, "listening/ladder.html", context)


def level_change(request: AuthedRequest, form: LevelForm, change: Callable[[dict[str, str]], object]) -> bool:
    if not form.is_valid():
        return False
    try:
        change(form.cleaned_data)
    except ValidationError as error:
        apply_form_errors(form, error)
        return False
    return True
