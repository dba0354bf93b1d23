#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    # Commands typed on a developer's machine run in development mode unless told otherwise; the web
    # server (wsgi.py/asgi.py) never does, and production commands set DJANGO_DEBUG=0 with a real key.
    os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
