import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecommons.expenses import payees
from carecommons.expenses.models import ExpenseState as S
from carecommons.expenses.receipts import ReceiptProblem, check_receipt, kind_of
from carecommons.expenses.rules import MOVES, Action, Actor, actions_for, receipts_refusal, refusal
from carecommons.expenses.tests.factories import HEIC, JPEG, PDF, PNG, WEBP

MEMBER = Actor(is_submitter=False, roles=frozenset({"member"}))
SUBMITTER = Actor(is_submitter=True, roles=frozenset({"member"}))
APPROVER = Actor(is_submitter=False, roles=frozenset({"member", "approver"}))
APPROVING_SUBMITTER = Actor(is_submitter=True, roles=frozenset({"member", "approver"}))
TREASURER = Actor(is_submitter=False, roles=frozenset({"member", "treasurer"}))

ALLOWED = {
    (Action.SUBMIT, S.DRAFT, SUBMITTER),
    (Action.APPROVE, S.SUBMITTED, APPROVER),
    (Action.REJECT, S.SUBMITTED, APPROVER),
    (Action.PAY, S.APPROVED, TREASURER),
    (Action.CANCEL, S.DRAFT, SUBMITTER),
    (Action.CANCEL, S.SUBMITTED, SUBMITTER),
    (Action.CANCEL, S.DRAFT, TREASURER),
    (Action.CANCEL, S.SUBMITTED, TREASURER),
    (Action.CANCEL, S.APPROVED, TREASURER),
    (Action.SUBMIT, S.DRAFT, APPROVING_SUBMITTER),
    (Action.CANCEL, S.DRAFT, APPROVING_SUBMITTER),
    (Action.CANCEL, S.SUBMITTED, APPROVING_SUBMITTER),
}
ACTORS = {
    "member": MEMBER,
    "submitter": SUBMITTER,
    "approver": APPROVER,
    "approving submitter": APPROVING_SUBMITTER,
    "treasurer": TREASURER,
}


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("who", sorted(ACTORS))
def test_every_action_in_every_state_is_allowed_only_where_the_table_says(
    state: str, action: Action, who: str
) -> None:
    actor = ACTORS[who]
    allowed = (action, state, actor) in ALLOWED
    problem = refusal(action, state, actor)
    assert (problem is None) == allowed, problem
    if problem is not None:
        assert problem.endswith(".") and len(problem) < 120


@pytest.mark.parametrize(
    ("action", "state", "actor", "words"),
    [
        (Action.APPROVE, S.SUBMITTED, APPROVING_SUBMITTER, "cannot approve your own"),
        (Action.REJECT, S.SUBMITTED, APPROVING_SUBMITTER, "cancel it instead"),
        (Action.APPROVE, S.SUBMITTED, Actor(False, frozenset({"approver"}), has_approved=True), "already"),
        (Action.PAY, S.PAID, TREASURER, "already been paid"),
        (Action.PAY, S.SUBMITTED, TREASURER, "waiting for approval, so it cannot be paid"),
        (Action.PAY, S.APPROVED, APPROVER, "Only the group's treasurers"),
        (Action.CANCEL, S.APPROVED, SUBMITTER, "ask a treasurer"),
        (Action.CANCEL, S.SUBMITTED, APPROVER, "Only the person who claimed"),
        (Action.SUBMIT, S.SUBMITTED, SUBMITTER, "already been submitted"),
        (Action.SUBMIT, S.DRAFT, TREASURER, "Only the person who claimed"),
    ],
)
def test_refusals_say_why_in_plain_words(action: Action, state: str, actor: Actor, words: str) -> None:
    assert words in (refusal(action, state, actor) or "")


@given(
    st.sampled_from(S.values),
    st.booleans(),
    st.sets(st.sampled_from(["member", "approver", "treasurer"])),
    st.booleans(),
)
def test_no_one_ever_approves_their_own_expense_and_every_action_leads_where_the_table_says(
    state: str, is_submitter: bool, roles: set[str], has_approved: bool
) -> None:
    actor = Actor(is_submitter=is_submitter, roles=frozenset(roles), has_approved=has_approved)
    actions = actions_for(state, actor)
    if is_submitter:
        assert Action.APPROVE not in actions and Action.REJECT not in actions
    for action in actions:
        assert state in MOVES[action][0]
    if state in (S.PAID, S.REJECTED, S.CANCELLED):
        assert actions == set()


def test_receipts_can_be_added_by_the_submitter_or_a_treasurer_until_it_is_closed() -> None:
    assert receipts_refusal(S.PAID, SUBMITTER) is None
    assert receipts_refusal(S.SUBMITTED, TREASURER) is None
    assert "Only the person" in (receipts_refusal(S.SUBMITTED, APPROVER) or "")
    assert "no longer" in (receipts_refusal(S.CANCELLED, SUBMITTER) or "")


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (WEBP, "image/webp"),
        (HEIC, "image/heic"),
        (PDF, "application/pdf"),
    ],
)
def test_receipts_are_known_by_their_first_bytes_whatever_their_name(head: bytes, content_type: str) -> None:
    assert check_receipt("IMG_0001", head[:32], len(head)).content_type == content_type


@pytest.mark.parametrize(
    ("name", "head", "size", "words"),
    [
        ("till.jpg", JPEG, 0, "is empty"),
        ("till.jpg", JPEG, 11 * 1024 * 1024, "11 MB; the largest receipt allowed is 10 MB"),
        (
            "notes.docx",
            b"PK\x03\x04" + b"\x00" * 28,
            100,
            "is not a photo (JPEG, PNG, WebP or HEIC) or a PDF",
        ),
        ("fake.pdf", b"<html><script>", 100, "is not a photo"),
        ("movie.mp4", b"\x00\x00\x00\x18ftypisom" + b"\x00" * 20, 100, "is not a photo"),
    ],
)
def test_other_files_and_large_files_are_refused_with_a_clear_reason(
    name: str, head: bytes, size: int, words: str
) -> None:
    with pytest.raises(ReceiptProblem, match=words.replace("(", r"\(").replace(")", r"\)")):
        check_receipt(name, head[:32], size)
    assert kind_of(b"") is None


@pytest.mark.parametrize(
    ("sort_code", "account_number", "cleaned"),
    [
        ("12 34 56", "3192 6819", ("12-34-56", "31926819")),
        ("123456", "31926819", ("12-34-56", "31926819")),
        ("", "", ("", "")),
    ],
)
def test_bank_details_are_read_as_people_type_them(
    sort_code: str, account_number: str, cleaned: tuple[str, str]
) -> None:
    assert payees.clean_bank_details(sort_code, account_number) == cleaned


@pytest.mark.parametrize(
    ("sort_code", "account_number", "field"),
    [
        ("12-34", "31926819", "payee_sort_code"),
        ("12-34-56", "123", "payee_account_number"),
        ("12-34-56", "", "payee_account_number"),
        ("", "31926819", "payee_sort_code"),
    ],
)
def test_bank_details_that_cannot_be_right_are_refused_beside_the_field(
    sort_code: str, account_number: str, field: str
) -> None:
    with pytest.raises(payees.PayeeProblem) as problem:
        payees.clean_bank_details(sort_code, account_number)
    assert problem.value.field == field


@pytest.mark.parametrize(
    ("label", "payee", "ok"),
    [
        ("A volunteer driver", "Ann Lee", True),
        ("", "Ann Lee", True),
        ("Ann's taxi", "Ann Lee", False),
        ("Paid to ann lee", "Ann  Lee", False),
        ("The local food bank", "Hulme Food Bank", True),
        ("Hulme pantry", "Hulme Food Bank", False),
    ],
)
def test_the_public_label_may_not_give_the_payee_away(label: str, payee: str, ok: bool) -> None:
    if ok:
        assert payees.clean_public_label(label, payee) == label
    else:
        with pytest.raises(payees.PayeeProblem):
            payees.clean_public_label(label, payee)
