import ast
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.test import override_settings

from carecommons.lib import email

TEMPLATES = {
    "note.txt": "Hello {{ name }}, from {{ site_name }}.\nOpen: {{ link }}",
    "note.html": "<p>Hello {{ name }}, from {{ site_name }}.</p><a href='{{ link }}'>Open</a>",
}
locmem_templates = override_settings(
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
        }
    ],
    SITE_URL="https://care.example.org",
    SITE_NAME="Leeds Care Lab",
    EMAIL_SUBJECT_PREFIX="[Leeds Care Lab] ",
)
TYPED = "O'Brien & <b>Sons</b>"


def send_note(**overrides: object) -> mail.EmailMultiAlternatives:
    arguments: dict[str, object] = {
        "to": "ada@example.org",
        "subject": "A note",
        "text_template": "note.txt",
        "context": {"name": TYPED},
        "links": {"link": "/notes/1/"},
    } | overrides
    assert email.send(**arguments) == 1  # type: ignore[arg-type]
    [message] = mail.outbox
    assert isinstance(message, mail.EmailMultiAlternatives)
    return message


@locmem_templates
def test_every_subject_starts_with_the_site_prefix_and_is_one_line() -> None:
    message = send_note(subject="Your  place\non Radical Self-Care")
    assert message.subject == "[Leeds Care Lab] Your place on Radical Self-Care"


@locmem_templates
def test_a_prefix_without_its_space_still_reads_as_a_prefix_and_an_empty_one_adds_nothing() -> None:
    with override_settings(EMAIL_SUBJECT_PREFIX="[Leeds]"):
        assert email.subject_line("A note") == "[Leeds] A note"
    with override_settings(EMAIL_SUBJECT_PREFIX=""):
        assert email.subject_line("A note") == "A note"


@locmem_templates
def test_the_text_part_keeps_typed_words_exactly_as_typed() -> None:
    message = send_note()
    assert message.body == f"Hello {TYPED}, from Leeds Care Lab.\nOpen: https://care.example.org/notes/1/"
    assert message.alternatives == []


@locmem_templates
def test_the_html_part_shows_typed_markup_as_text_never_as_markup() -> None:
    message = send_note(html_template="note.html")
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "O&#x27;Brien &amp; &lt;b&gt;Sons&lt;/b&gt;" in str(html)
    assert "<b>" not in str(html)
    assert "href='https://care.example.org/notes/1/'" in str(html)
    assert "&#x27;" not in message.body


@locmem_templates
def test_links_are_full_addresses_on_the_site_address() -> None:
    message = send_note(links={"link": "/answer/abc/"})
    assert message.body.endswith("Open: https://care.example.org/answer/abc/")


@locmem_templates
def test_an_attachment_goes_with_its_file_name_and_type() -> None:
    calendar = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    message = send_note(attachments=[("workshop.ics", calendar, "text/calendar")])
    assert [tuple(a) for a in message.attachments] == [("workshop.ics", calendar, "text/calendar")]


@locmem_templates
def test_each_message_goes_to_one_person_from_the_site_with_an_optional_reply_to() -> None:
    message = send_note(reply_to=["team@example.org"])
    assert message.to == ["ada@example.org"] and message.cc == [] and message.bcc == []
    assert message.reply_to == ["team@example.org"]
    assert message.from_email == "Care Commons <no-reply@localhost>"
    mail.outbox.clear()
    assert send_note().reply_to == []


def test_the_sites_prefix_is_its_name_in_brackets_and_allauths_emails_use_it_too() -> None:
    prefix = settings.EMAIL_SUBJECT_PREFIX
    assert prefix == "[Care Commons] " == f"[{settings.SITE_NAME}] "
    assert prefix == settings.ACCOUNT_EMAIL_SUBJECT_PREFIX


MAIL_SENDERS = {"send_mail", "send_mass_mail", "EmailMessage", "EmailMultiAlternatives", "mail_admins"}
SOURCE = Path(__file__).resolve().parents[2]


def mail_imports(path: Path) -> list[str]:
    """How the module reaches Django's mail senders, if it does."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module == "django.core.mail":
            found += [alias.name for alias in node.names if alias.name in MAIL_SENDERS or alias.name == "*"]
        elif isinstance(node, ast.ImportFrom) and node.module == "django.core":
            found += [alias.name for alias in node.names if alias.name == "mail"]
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.startswith("django.core.mail")]
    return found


def test_only_lib_email_sends_mail() -> None:
    """Tests may read the outbox (`from django.core import mail`); the code that sends may not
    reach past lib/email.py, or its subject, escaping and link rules would be skipped."""
    modules = [p for p in SOURCE.rglob("*.py") if "tests" not in p.relative_to(SOURCE).parts]
    assert SOURCE / "lib" / "email.py" in modules and len(modules) > 100
    offenders = {
        str(p.relative_to(SOURCE)): names
        for p in modules
        if p != SOURCE / "lib" / "email.py" and (names := mail_imports(p))
    }
    assert offenders == {}


def test_the_mail_scan_sees_each_way_of_importing_a_sender(tmp_path: Path) -> None:
    module = tmp_path / "sender.py"
    module.write_text(
        "from django.core.mail import EmailMessage, get_connection\n"
        "from django.core import mail\n"
        "import django.core.mail\n"
    )
    assert mail_imports(module) == ["EmailMessage", "mail", "django.core.mail"]
