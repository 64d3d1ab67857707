#!/usr/bin/env python
import sys

if __name__ == "__main__":
    from config.bootstrap import prepare

    prepare()  # settings default to config.settings.local; local services (embedded PostgreSQL, key file)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
