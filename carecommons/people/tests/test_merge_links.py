from carecommons.assets.models import Asset, AssetCategory
from carecommons.assets.services import create_asset
from carecommons.listening.models import Conversation
from carecommons.listening.tests.factories import make_lab, make_person, record_conversation
from carecommons.people import services
from carecommons.people.models import PersonMerge


def test_merging_people_moves_their_asset_links_and_suggestions_to_the_one_kept(organiser) -> None:
    keep, dupe = make_person("Ruth", "Okafor"), make_person("Ruth", "Okafor")
    lab = make_lab(organiser=organiser, members=[keep, dupe])
    both = create_asset(
        lab=lab, by=None, name="Lunch club", category=AssetCategory.ASSOCIATION, people=[keep, dupe]
    )
    only_dupe = create_asset(
        lab=lab, by=None, name="Allotment", category=AssetCategory.NATURAL, people=[dupe]
    )
    talk = record_conversation(
        lab, by=organiser, suggested_people=[dupe], story="Knows everyone at the allotment."
    )

    services.merge_people(survivor=keep, absorbed=dupe, by=None)

    assert list(Asset.objects.get(pk=both.pk).people.all()) == [keep]
    assert list(Asset.objects.get(pk=only_dupe.pk).people.all()) == [keep]
    assert list(Conversation.objects.get(pk=talk.pk).suggested_people.all()) == [keep]


def test_a_conversation_set_aside_by_a_merge_keeps_its_notes_encrypted(organiser) -> None:
    lab = make_lab(organiser=organiser)
    listener, person = make_person("Sunita", "Rao"), make_person("Sunita", "Rao")
    record_conversation(lab, by=organiser, person=person, listener=listener, story="My mother's care")

    merge = services.merge_people(survivor=listener, absorbed=person, by=None)

    [row] = merge.set_aside
    assert row["model"] == "listening.conversation"
    assert row["story"] and "mother" not in row["story"]
    assert "mother" not in str(PersonMerge.objects.get(pk=merge.pk).set_aside)
    assert not Conversation.objects.exists()
