"""The demo's completed trial of Growing Cultures of Radical Caring: about 120 people at Hackney and
Salford, allocated to the course or a waiting list, measured at baseline, the end and 12 weeks after
(trials/generate.py). The demo's evaluator is its statistician, so signing in as evaluator shows the
randomisation secret and its check, the CONSORT flow by arm and the report, which is asked for here
and built by the worker that `make demo` starts beside the site."""

from carecommons.accounts.models import User
from carecommons.programmes.models import Programme
from carecommons.trials import services
from carecommons.trials.generate import generate_trial
from carecommons.trials.models import Trial

PROGRAMME = "Growing Cultures of Radical Caring"
PEOPLE = 120
SITES = ("Hackney", "Salford")
SEED = 14


def load_trial(*, convenor: User, evaluator: User) -> Trial:
    programme = Programme.objects.get(name=PROGRAMME)
    trial = generate_trial(
        people=PEOPLE, sites=SITES, seed=SEED, programme=programme, convenor=convenor, statistician=evaluator
    )
    services.request_report(trial=trial, by=evaluator)
    return trial


def where_to_look() -> str:
    trial = Trial.objects.filter(programme__name=PROGRAMME).first()
    if trial is None:
        return ""
    return (
        f"\nA completed trial: “{trial.title}” (Trials, /trials/{trial.uuid}/). Sign in as evaluator (its "
        "statistician: the randomisation secret and its check, the CONSORT flow, the evaluation report, "
        "built by the worker a few seconds after the site starts) "
        "or as convenor (who was allocated where, by name; the shared report)."
    )
