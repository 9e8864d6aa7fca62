#!/usr/bin/env python
"""Django's manage.py; the `congvu` console script does the same and more."""

import sys

from congvu.cli import main

if __name__ == "__main__":
    sys.exit(main())
