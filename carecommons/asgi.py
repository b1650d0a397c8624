import os

from django.core.asgi import get_asgi_application

from carecommons.lib import heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecommons.settings")
application = get_asgi_application()

# After the app is loaded: see lib/heap.py.
heap.settle()
