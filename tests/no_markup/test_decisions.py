"""Titles, details, option labels, reasons, objections, advice and outcomes typed into decisions are
shown as text on the decision list, the decision page, the ballot form and the resolve page."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carecommons.decisions import services
from carecommons.decisions.models import Objection
from carecommons.decisions.services import OptionInput
from carecommons.decisions.tests.factories import group_with, make_member, user_of
from tests.no_markup.typed import shows, typed

pytestmark = pytest.mark.django_db


def test_typed_words_in_decisions_are_text_on_every_decision_page() -> None:
    amira, bilal = make_member("Amira"), make_member("Bilal")
    group = group_with([amira, bilal])
    ranked = services.open_decision(
        group=group,
        person=amira,
        by=user_of(amira),
        kind="ranked_choice",
        title=typed("Title"),
        details=typed("Details"),
        closes_at=timezone.now() + timedelta(days=2),
        options=[OptionInput(label=typed("Housing")), OptionInput(label=typed("Transport"))],
    )
    services.cast_vote(
        decision=ranked, person=bilal, by=user_of(bilal), choices=["o1"], reason=typed("Reason")
    )
    consent = services.open_decision(
        group=group,
        person=amira,
        by=user_of(amira),
        kind="consent",
        title="Consent",
        closes_at=ranked.closes_at,
    )
    services.cast_vote(
        decision=consent, person=bilal, by=user_of(bilal), choices=["object"], reason=typed("Harm")
    )
    services.close_decision(decision=ranked, by=None)
    services.state_outcome(decision=ranked, by=user_of(amira), statement=typed("Outcome"), review_on=None)
    client = Client()
    client.force_login(user_of(amira))
    args = [group.uuid, ranked.uuid]
    shows(client, reverse("decisions:decision_list", args=[group.uuid]), typed("Title"), typed("Outcome"))
    shows(
        client,
        reverse("decisions:decision_detail", args=args),
        typed("Title"),
        typed("Details"),
        typed("Housing"),
        typed("Reason"),
        typed("Outcome"),
    )
    objection = Objection.objects.get()
    shows(client, reverse("decisions:decision_detail", args=[group.uuid, consent.uuid]), typed("Harm"))
    shows(
        client,
        reverse("decisions:objection_resolve", args=[group.uuid, consent.uuid, objection.uuid]),
        typed("Harm"),
    )
    advice = services.open_decision(
        group=group,
        person=amira,
        by=user_of(amira),
        kind="advice",
        title="Advice",
        closes_at=ranked.closes_at,
    )
    services.give_advice(decision=advice, by=user_of(amira), source=typed("Officer"), text=typed("Advice"))
    shows(
        client,
        reverse("decisions:decision_detail", args=[group.uuid, advice.uuid]),
        typed("Officer"),
        typed("Advice"),
    )
    open_ranked = services.open_decision(
        group=group,
        person=amira,
        by=user_of(amira),
        kind="single_choice",
        title="Open",
        closes_at=ranked.closes_at,
        options=[OptionInput(label=typed("Left")), OptionInput(label=typed("Right"))],
    )
    shows(client, reverse("decisions:decision_detail", args=[group.uuid, open_ranked.uuid]), typed("Left"))
