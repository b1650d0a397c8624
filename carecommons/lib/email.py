"""Every email the site sends, made one way (decision 0027).

The subject starts with EMAIL_SUBJECT_PREFIX and is one line. The text part is plain text, rendered
with autoescape off, so a name like O'Brien arrives as typed; an HTML part is rendered with autoescape
on, so words people typed never become markup. `links` are paths from reverse(), put into the
context as full addresses (lib/urls.py). Each message has one recipient, so nobody learns who else
was told. The message goes through Django's mail backend: SMTP in production, the outbox in tests.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine

from carecommons.lib.urls import absolute_url

Attachment = tuple[str, str | bytes, str]  # filename, content, MIME type


def subject_line(subject: str) -> str:
    """The site's prefix, then the subject on one line (a header cannot hold a line break)."""
    prefix = str(settings.EMAIL_SUBJECT_PREFIX).strip()
    line = " ".join(subject.split())
    return f"{prefix} {line}" if prefix else line


def render(template_name: str, context: Mapping[str, Any], *, autoescape: bool) -> str:
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(dict(context), autoescape=autoescape))


def build(
    *,
    to: str,
    subject: str,
    text_template: str,
    html_template: str | None = None,
    context: Mapping[str, Any] | None = None,
    links: Mapping[str, str] | None = None,
    attachments: Sequence[Attachment] = (),
    reply_to: Sequence[str] = (),
) -> EmailMultiAlternatives:
    """The message, ready to send; for a sender that sends it itself (and handles a refusal)."""
    values = {
        "site_name": settings.SITE_NAME,
        **(context or {}),
        **{name: absolute_url(path) for name, path in (links or {}).items()},
    }
    message = EmailMultiAlternatives(
        subject=subject_line(subject),
        body=render(text_template, values, autoescape=False),
        to=[to],
        reply_to=list(reply_to),
    )
    if html_template is not None:
        message.attach_alternative(render(html_template, values, autoescape=True), "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def send(
    *,
    to: str,
    subject: str,
    text_template: str,
    html_template: str | None = None,
    context: Mapping[str, Any] | None = None,
    links: Mapping[str, str] | None = None,
    attachments: Sequence[Attachment] = (),
    reply_to: Sequence[str] = (),
) -> int:
    """Build the message and send it; the number sent (1), as Django's mail functions answer."""
    message = build(
        to=to,
        subject=subject,
        text_template=text_template,
        html_template=html_template,
        context=context,
        links=links,
        attachments=attachments,
        reply_to=reply_to,
    )
    return message.send()
