import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# What start-up loaded (Django, Wagtail, the apps: some 200,000 objects) lives as long as
# the process. Frozen, it is left out of the cyclic collector's full passes, each of which
# took over 100 ms on two cores and came every few searches: most of a search's p95.
gc.collect()  # what start-up left as garbage is freed first, not frozen with the rest
gc.freeze()
