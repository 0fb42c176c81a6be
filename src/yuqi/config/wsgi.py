import os

from django.core.wsgi import get_wsgi_application

from yuqi.core.private_files import restrict_umask

restrict_umask()  # files and folders this server creates are private (0600/0700)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuqi.config.settings")
application = get_wsgi_application()
