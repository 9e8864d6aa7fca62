"""The scheduler's tests drive the real jobs over the alerts' dossier at C1."""

from congvu.apps.alerts.tests.conftest import mailed  # noqa: F401 (a fixture)
