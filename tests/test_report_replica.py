"""Reports read their figures from the read replica when one is configured, and everything else stays on the
primary."""

from models_registry.models import Initiative
from reports.models import ReportJob
from reports.replica import REPLICA, ReportsReplicaRouter, reading_for_reports


def test_figures_are_read_from_the_replica_only_while_a_report_reads_them(settings):
    router = ReportsReplicaRouter()
    settings.DATABASES = {**settings.DATABASES, REPLICA: {**settings.DATABASES["default"]}}
    assert router.db_for_read(Initiative) is None  # the primary
    with reading_for_reports():
        assert router.db_for_read(Initiative) == REPLICA
        assert router.db_for_write(ReportJob) is None  # progress and files: the primary
    assert router.db_for_read(Initiative) is None
    assert router.allow_migrate(REPLICA, "models_registry") is False


def test_without_a_replica_reports_read_the_primary(settings):
    assert REPLICA not in settings.DATABASES
    with reading_for_reports():
        assert ReportsReplicaRouter().db_for_read(Initiative) is None
