"""Issue 5's part of the demo: the Riverside Care Lab's conversations, themes, assets and network."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from carecommons.accounts.models import Role, User
from carecommons.assets.models import Asset, AssetCategory, AssetStatus, Moderation
from carecommons.demo import riverside
from carecommons.demo.fixtures import DEMO_ACCOUNTS, DEMO_PASSWORD
from carecommons.listening.models import Conversation, Issue, Theme
from carecommons.networks.changes import NodeState, compare
from carecommons.networks.models import Snapshot
from carecommons.people.models import Consent, ConsentPurpose
from carecommons.programmes.labs import labs_organised_by
from carecommons.programmes.models import Programme

pytestmark = pytest.mark.django_db
STORY = "Has looked after his mum, who has dementia"


@pytest.fixture
def lab(settings) -> Programme:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    call_command("demo", stdout=StringIO())
    return Programme.objects.get(name="Riverside Care Lab")


def states(snapshot: Snapshot) -> dict[str, NodeState]:
    return {
        node.key: NodeState(
            node.key,
            node.label,
            node.kind,
            node.degree,
            node.is_bridge,
            node.bridge_reason,
            node.is_isolated,
            node.in_largest_component,
        )
        for node in snapshot.nodes.all()
    }


def test_forty_conversations_with_themes_follow_ups_on_the_persona_home_page_and_encrypted_notes(
    lab: Programme,
) -> None:
    persona = User.objects.get(email=DEMO_ACCOUNTS["organiser"][0])
    assert persona.has_role(Role.ORGANISER) and labs_organised_by(persona).get() == lab
    assert next(level.name for level in lab.engagement_levels.all()) == "Listened to"
    conversations = Conversation.objects.filter(lab=lab)
    assert conversations.count() == 40
    assert conversations.values("listener").distinct().count() == 3
    assert conversations.values("person").distinct().count() == 31
    assert conversations.values("engagement").distinct().count() == 5
    today = timezone.localdate()
    assert today - timedelta(days=155) < min(c.held_on for c in conversations) < today - timedelta(days=120)
    assert conversations.filter(introduced_by__isnull=False).count() >= 15
    assert conversations.filter(suggested_people__isnull=False).distinct().count() >= 8
    facts_only = conversations.filter(notes_consented=False)
    assert facts_only.count() == 5 and {c.story for c in facts_only} == {""}
    declined = Consent.objects.current().filter(purpose=ConsentPurpose.QUOTES, given=False)
    assert declined.count() == 5  # four said no to quotes; one said no to notes, and so to quotes
    assert conversations.follow_ups_due().filter(follow_up_due__lt=today).count() == 1
    assert conversations.filter(follow_up_done_at__isnull=False).count() == 5

    issues = Issue.objects.filter(conversation__lab=lab)
    assert issues.count() == 44 and issues.filter(themes__isnull=True).count() == 5
    assert Theme.objects.filter(lab=lab).count() == 6
    for theme in Theme.objects.filter(lab=lab):
        assert theme.issues.count() >= 3, theme.name

    with connection.cursor() as cursor:
        cursor.execute("SELECT story FROM listening_conversation")
        stories = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT words FROM listening_issue")
        words = [row[0] for row in cursor.fetchall()]
    assert len(stories) == 40 and not any(STORY in token for token in stories)
    assert not any("minimum wage" in token for token in words)
    assert all(token.startswith("gAAAA") for token in stories + words if token)
    assert conversations.filter(person__given_name="Rob").last().story.startswith(STORY)  # type: ignore[union-attr]

    client = Client()
    client.post("/accounts/login/", {"login": persona.email, "password": DEMO_PASSWORD})
    home = client.get("/").content.decode()
    assert "Follow-up overdue: Rob Stanley" in home
    assert "Follow-up due: Ruth Adler" in home and "Follow-up due: Sunita Kaur" in home


def test_sixty_assets_in_every_category_with_places_people_and_issues(lab: Programme) -> None:
    assets = Asset.objects.filter(lab=lab)
    assert assets.count() == 60
    assert set(assets.values_list("category", flat=True)) == set(AssetCategory.values)
    assert assets.filter(status=AssetStatus.LOST).count() == 3
    assert assets.filter(status=AssetStatus.EXISTS).count() > 45
    pending = assets.filter(moderation=Moderation.PENDING)
    assert pending.count() == 3 and not pending.filter(suggested_by__isnull=True).exists()
    placed = assets.exclude(postcode="", latitude__isnull=True).count()
    assert 25 <= placed <= 40
    assert assets.filter(people__isnull=False).distinct().count() >= 15
    assert assets.filter(issues__isnull=False).distinct().count() >= 10


def bridges(snapshot: Snapshot, kind: str = "person") -> set[str]:
    return set(snapshot.nodes.filter(is_bridge=True, kind=kind).values_list("label", flat=True))


def circle_names(*circles: str) -> set[str]:
    return {f"{p.first} {p.last}" for p in riverside.PEOPLE if p.circle in circles}


def test_two_snapshots_three_months_apart_show_two_groups_joined_by_a_few_bridges(lab: Programme) -> None:
    earlier, today = Snapshot.objects.filter(lab=lab).order_by("taken_at")
    assert abs((today.taken_at - earlier.taken_at) - timedelta(days=91)) < timedelta(minutes=5)
    assert earlier.community_count == today.community_count == 2
    assert bridges(earlier) == {"Ruth Adler", "Sunita Kaur"}
    assert bridges(today) == {"Leila Nasser", "Lorraine Mitchell", "Ruth Adler", "Sunita Kaur"}
    assert bridges(earlier, "organisation") == {"Riverside Care Lab"} and not bridges(today, "organisation")

    group = dict(today.nodes.filter(kind="person").values_list("label", "community"))
    workers = circle_names("workers") | {"Agnes Boateng", "Oksana Melnyk", "Priya Raman", "Fatima Yilmaz"}
    carers = circle_names("carers") | {"Rob Stanley", "Mick O'Neill", "Terry Blake", "Joe Harrison"}
    assert len({group[name] for name in workers}) == len({group[name] for name in carers}) == 1
    assert group["Priya Raman"] != group["Joe Harrison"]
    assert {name for name, number in group.items() if number is None} == {"Elsie Thornton", "Kevin Rourke"}

    changes = compare(states(earlier), states(today))
    assert [node.label for node in changes.became_connected] == ["Nasreen Akram"]
    assert [node.label for node in changes.became_bridge] == ["Leila Nasser", "Lorraine Mitchell"]
    assert [node.label for node in changes.stopped_bridge] == ["Riverside Care Lab"]
