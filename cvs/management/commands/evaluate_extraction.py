"""``python manage.py evaluate_extraction DIR [--provider rules] [--json]``.

A thin wrapper: the scoring lives in :mod:`cvs.extraction.evaluation` and also
runs without Django as ``python -m cvs.extraction.evaluate``.
"""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand

from cvs.extraction.evaluate import add_arguments, run


class Command(BaseCommand):
    help = "Score CV extraction on a folder of CVs with <file>.json truth (P/R/F1 per field, macro F1)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: object, **options: object) -> None:
        output, _ = run(argparse.Namespace(**options))
        self.stdout.write(output)
