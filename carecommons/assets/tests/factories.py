"""Community asset fixtures, made through the real services."""

from typing import Any

from carecommons.accounts.models import User
from carecommons.assets import services
from carecommons.assets.models import Asset
from carecommons.listening.models import Issue
from carecommons.listening.tests.factories import make_lab, make_person, record_conversation
from carecommons.listening.themes import add_issue
from carecommons.programmes.models import Programme

__all__ = ["make_asset", "make_issue", "make_lab", "make_suggestion"]


def make_asset(
    lab: Programme, name: str = "Hyde Park Source", *, category: str = "physical", **values: Any
) -> Asset:
    return services.create_asset(lab=lab, by=None, name=name, category=category, **values)


def make_suggestion(lab: Programme, by: User, name: str = "Tuesday Knit and Natter", **values: Any) -> Asset:
    return services.suggest_asset(
        lab=lab, by=by, name=name, category=values.pop("category", "association"), **values
    )


def make_issue(lab: Programme, *, by: User, title: str = "Nowhere to meet in the evening") -> Issue:
    """An issue raised in a new conversation of the lab, recorded by `by` (who must have a person)."""
    conversation = record_conversation(lab, by=by, person=make_person("Nadia", "Okafor"))
    return add_issue(conversation=conversation, by=by, title=title)
