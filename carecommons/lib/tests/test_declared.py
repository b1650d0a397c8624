import pytest

from carecommons.lib.declared import Fields


class PlanError(ValueError):
    pass


class Plan(Fields):
    error = PlanError
    container = "a table"


def test_a_declaration_that_is_not_a_table_is_refused_naming_where() -> None:
    with pytest.raises(PlanError, match=r"^plans/a\.toml: expected a table$"):
        Plan.of(["a list"], "plans/a.toml")


def test_a_missing_key_names_the_key_and_a_default_is_used_when_given() -> None:
    plan = Plan.of({"name": "x"}, "plans/a.toml")
    assert plan.raw("name") == "x" and plan.raw("size", 3) == 3
    with pytest.raises(PlanError, match=r"^plans/a\.toml: missing 'colour'$"):
        plan.raw("colour")


def test_finish_refuses_every_key_nobody_read_and_accepts_when_all_were_read() -> None:
    plan = Plan.of({"name": "x", "sise": 3, "colur": "red"}, "plans/a.toml")
    plan.raw("name")
    with pytest.raises(PlanError, match=r"unknown field\(s\) colur, sise$"):
        plan.finish()
    plan.raw("sise")
    plan.raw("colur")
    plan.finish()
