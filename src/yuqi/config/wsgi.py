import os

from django.core.wsgi import get_wsgi_application

from yuqi.core.private_files import restrict_umask

restrict_umask()  # files and folders this server creates are private (0600/0700)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuqi.config.settings")
application = get_wsgi_application()

# The app imports scikit-learn, SciPy and OR-Tools (with pandas) where they are first needed,
# so that `yuqi manage …`, the worker and the other commands start about 1.5 s sooner. A web
# server should still have them loaded before its first request: under gunicorn `--preload`
# this module is imported once in the master, so the workers fork with them already in memory
# (shared, copy-on-write) and no request pays for the import.
import ortools.sat.python.cp_model  # noqa: E402, F401  (staffing: rosters)
import scipy.integrate  # noqa: E402  (Erlang A waiting times)
import scipy.optimize  # noqa: E402  (staffing: shift plans)
import scipy.special  # noqa: E402  (Erlang)
import scipy.stats  # noqa: E402, F401  (survey analysis, effect tests)
import sklearn.feature_extraction.text  # noqa: E402, F401  (text mining)

import yuqi.domain.text.classifier  # noqa: E402, F401  (the text classifier, with the above)
