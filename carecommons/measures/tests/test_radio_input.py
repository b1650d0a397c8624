"""The questionnaire's radios, built in Python, are exactly what Django's widget templates render."""

from carecommons.measures.engine.definitions import get_instrument
from carecommons.measures.running.answer_forms import AnswerForm
from carecommons.measures.running.deployment import wording_for
from carecommons.measures.templatetags.radios import radio_input


def test_radio_input_renders_exactly_what_the_widget_template_renders() -> None:
    definition, wording = get_instrument("phq9"), wording_for("phq9")
    assert wording is not None
    chosen = {"item_" + item.id: "1" for item in definition.items[::2]}
    for form in (AnswerForm(definition, wording), AnswerForm(definition, wording, data=chosen)):
        radios = [radio for question in form.questions for radio in question.field]
        assert len(radios) > 30
        assert [radio_input(radio) for radio in radios] == [radio.tag() for radio in radios]
        assert sum(" checked" in radio_input(radio) for radio in radios) == (
            len(chosen) if form.is_bound else 0
        )
