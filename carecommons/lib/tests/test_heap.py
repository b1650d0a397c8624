import gc
import importlib


def test_a_serving_process_freezes_what_loading_the_app_made() -> None:
    gc.unfreeze()
    try:
        importlib.reload(importlib.import_module("carecommons.wsgi"))
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
