import os

from django.core.wsgi import get_wsgi_application

from carecommons.lib import heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecommons.settings")
application = get_wsgi_application()

# After the app is loaded: see lib/heap.py.
heap.settle()
