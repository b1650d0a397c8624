"""One alert per invitation: alerts raised by different questionnaires of the same invitation are
folded into the earliest one. It keeps every flag and every follow-up; it stays open unless all of
them were closed; its deadline, telling and escalation are the earliest of any."""

from typing import Any

from django.db import migrations


def earliest(values: list[Any]) -> Any:
    known = [value for value in values if value is not None]
    return min(known) if known else None


def fold(apps: Any, schema_editor: Any) -> None:
    Alert = apps.get_model("measures", "SafeguardingAlert")
    FollowUp = apps.get_model("measures", "FollowUp")
    by_invitation: dict[int, list[Any]] = {}
    for alert in Alert.objects.select_related("response").order_by("raised_at", "id"):
        by_invitation.setdefault(alert.response.invitation_id, []).append(alert)
    for invitation_id, alerts in by_invitation.items():
        keep, others = alerts[0], alerts[1:]
        flags = [flag for alert in alerts for flag in alert.flags]
        keep.flags = list(dict.fromkeys(flags))
        keep.due_at = min(alert.due_at for alert in alerts)
        keep.notified_at = earliest([alert.notified_at for alert in alerts])
        keep.escalated_at = earliest([alert.escalated_at for alert in alerts])
        closed = [alert.closed_at for alert in alerts]
        keep.closed_at = None if None in closed else max(closed)
        keep.invitation_id = invitation_id
        FollowUp.objects.filter(alert__in=others).update(alert=keep)
        Alert.objects.filter(pk__in=[alert.pk for alert in others]).delete()
        keep.save()


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0002_alert_invitation"),
    ]

    operations = [migrations.RunPython(fold, migrations.RunPython.noop)]
