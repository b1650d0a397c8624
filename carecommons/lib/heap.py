"""What a serving process does once the app is loaded: move every object made so far (Django,
the apps, their modules) out of the garbage collector's sight with `gc.freeze()`.

Those objects live as long as the process, yet each full collection walks all of them: with a page
that makes tens of thousands of objects (a ripple map of 5,000), full collections come every few
requests and each cost as much as the page itself (measured: 80 ms pages with one in ten at
200 ms). Frozen, a full collection walks only what requests made. Under a forking server the
frozen objects are also never written by the collector, so the workers keep sharing their pages
with the parent. See the Python documentation of gc.freeze.
"""

import gc

from django.urls import get_resolver


def settle() -> None:
    """Load what Django otherwise loads on the first request (the URLconf, and with it every
    view module), then freeze: objects made after this are only what requests make."""
    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    gc.collect()
    gc.freeze()
