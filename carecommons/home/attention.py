"""What each person should look at first when they open Care Commons.

Each app declares its items in its own `attention.py` (`lib/attention.py` finds them); the home
page only puts them in order, by name, and imports no app (decision 0026).
"""

from carecommons.lib.attention import Item, items_for

ORDER = (
    "measures.safeguarding_alerts",
    "listening.follow_ups",
    "initiatives.actions_due",
    "assets.suggestions",
    "expenses.claims",
    "groups.invitations",
    "groups.terms_ending",
    "people.directory",
    "people.erasure_requests",
    "trials.waiting_to_allocate",
    "ripples.rounds_due",
    "ripples.rounds_open",
    "measures.questionnaires",
    "people.own_record",
    "programmes.sessions",
    "decisions.waiting_for_vote",
    "decisions.reviews_due",
    "accounts.recovery_codes",
)


def attention_for(user: object) -> list[Item]:
    return items_for(user, order=ORDER)
