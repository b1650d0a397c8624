from django.apps import apps

from carecommons.lib import plugins


def test_each_declaring_app_is_found_once_in_installed_apps_order() -> None:
    labels = [config.label for config, _ in plugins.declared("reach", "REACH")]
    installed = [config.label for config in apps.get_app_configs()]
    assert {"programmes", "measures", "finances"} <= set(labels)
    assert labels == sorted(set(labels), key=installed.index)


def test_the_value_found_is_what_the_app_declared() -> None:
    from carecommons.measures import reach

    assert ("measures", reach.REACH) in [
        (config.label, value) for config, value in plugins.declared("reach", "REACH")
    ]


def test_an_app_without_the_module_or_without_the_name_is_left_out() -> None:
    assert plugins.declared("no_such_module", "REACH") == []
    assert plugins.declared("models", "NO_SUCH_NAME") == []
