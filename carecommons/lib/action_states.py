"""How an action someone took on ended up: one vocabulary for learning sets and initiatives.

The values are stored in both apps' rows, so they never change (decision 0030 section 5)."""

from django.db import models


class ActionStatus(models.TextChoices):
    OPEN = "open", "Not yet followed up"
    DONE = "done", "Done"
    PARTLY = "partly", "Partly done"
    NOT_DONE = "not_done", "Not done"


FOLLOWED_UP = (ActionStatus.DONE, ActionStatus.PARTLY, ActionStatus.NOT_DONE)
