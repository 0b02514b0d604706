import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storeledger.settings")
application = get_wsgi_application()

from storeledger.core.checks import refuse_insecure_start  # noqa: E402  (needs the apps ready)

refuse_insecure_start()
