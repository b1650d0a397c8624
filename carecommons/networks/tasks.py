from django_tasks import task

from carecommons.accounts.models import User
from carecommons.networks import services
from carecommons.programmes.models import Programme


@task()
def take_lab_snapshot(lab_id: int, user_id: int | None) -> str:
    """Build and measure a Care Lab's network now (seconds for thousands of people: never in a
    request). Returns the snapshot's uuid."""
    lab = Programme.objects.get(pk=lab_id)
    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    return str(services.take_snapshot(lab=lab, by=user).uuid)
