from django.http import HttpRequest
from django.urls import reverse

from carecommons.accounts.models import Role
from carecommons.finances.access import money_people
from carecommons.home.heartbeat import WorkerStatus, warning_for
from carecommons.lib.exists import which_exist
from carecommons.measures.access import can_see_outcomes
from carecommons.measures.attention import safeguarding_staff
from carecommons.people.access import can_read_audit, can_see_organisations, can_use_directory, own_person
from carecommons.programmes.access import programmes_visible_to
from carecommons.programmes.labs import labs_organised_by
from carecommons.ripples.access import may_use_ripple_maps
from carecommons.trials.access import may_use_trials


def navigation(request: HttpRequest) -> dict[str, object]:
    """The main menu, by role: each link appears only to those who may use it. Roles and the
    person come with the signed-in user (accounts/signed_in.py); what rows open the rest is asked
    in one query (lib/exists.py)."""
    user = request.user
    if not user.is_authenticated:
        return {"nav_links": []}
    person = own_person(user)
    questions = {
        "programmes": programmes_visible_to(user),
        "labs": labs_organised_by(user),
        "money": money_people(user),
    }
    if not user.has_role(Role.CONVENOR, Role.FACILITATOR):
        questions["safeguarding"] = safeguarding_staff(user)
    found = which_exist(user, questions)
    links = [("Home", reverse("home:index"))]
    if can_use_directory(user):
        links.append(("People", reverse("people:person_list")))
    elif person is not None:
        links.append(("My details", reverse("people:person_detail", args=[person.uuid])))
    if person is not None:
        links.append(("Your groups", reverse("groups:group_list")))
    if found["programmes"]:
        links.append(("Programmes", reverse("programmes:programme_list")))
    if found["labs"]:
        links.append(("Listening", reverse("listening:lab_list")))
    if found["money"]:
        links.append(("Money", reverse("finances:my_groups")))
    if found.get("safeguarding", True):
        links.append(("Safeguarding", reverse("measures:alert_list")))
    if can_see_outcomes(user):
        links.append(("Outcomes", reverse("measures:outcomes")))
    if may_use_trials(user):
        links.append(("Trials", reverse("trials:trial_list")))
    if may_use_ripple_maps(user):
        links.append(("Ripple maps", reverse("ripples:round_list")))
    if can_see_organisations(user):
        links.append(("Organisations", reverse("people:organisation_list")))
    if can_use_directory(user):
        links.append(("Import and export", reverse("transfers:import_start")))
    if can_read_audit(user):
        links.append(("Audit log", reverse("audit:event_list")))
    if person is not None:
        links.append(("Calendar", reverse("calendars:feed_settings")))
    links.append(("Account", reverse("account_change_password")))
    return {"nav_links": links, "current_path": request.path}


def worker_warning(request: HttpRequest) -> dict[str, object]:
    """Staff see a warning on every page when no worker is running. A callable, so the check runs
    only when a page (base.html) shows it, not for fragments."""

    def warning() -> WorkerStatus | None:
        return warning_for(request.user)

    return {"worker_warning": warning}
