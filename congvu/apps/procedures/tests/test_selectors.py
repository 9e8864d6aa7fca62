from decimal import Decimal

from congvu.apps.procedures.models import Procedure, ProcedureStep
from congvu.apps.procedures.selectors import procedure_catalog, procedure_get
from congvu.apps.procedures.services import procedures_import
from congvu.domain.procedures import Duration, Step

from .conftest import dumps, v1


def make(count):
    for i in range(count):
        p = Procedure.objects.create(
            code=f"9.{i:06d}",
            name=f"Thủ tục {i}",
            time_limit_amount=Decimal(2),
            time_limit_unit="working_days",
        )
        ProcedureStep.objects.bulk_create(
            ProcedureStep(
                procedure=p,
                order=n,
                code=f"s{n}",
                name="Bước",
                role="specialist",
                budget_amount=Decimal("0.5"),
                budget_unit="working_days",
            )
            for n in range(3)
        )


def test_catalog_gives_the_domain_objects_the_ledger_folds_with(cast):
    procedures_import(data=dumps(v1()))
    proc = procedure_catalog()["1.001193"]
    assert proc.time_limit == Duration("working_days", 3.0)
    assert proc.steps[0] == Step("receive", "Tiếp nhận", "one_stop", Duration("working_hours", 4.0))
    assert (proc.level, proc.field, proc.fee) == ("commune", "Hộ tịch", 0.0)
    assert proc.related_units == frozenset({"D1"})
    assert proc.legal_basis == ("Luật Hộ tịch 2014",)
    assert procedure_get("1.001193") == proc and procedure_get("0.000000") is None


def test_catalog_takes_two_queries_whatever_its_size(db, django_assert_num_queries):
    make(3)
    with django_assert_num_queries(2):
        assert len(procedure_catalog()) == 3
    make_more = 40
    Procedure.objects.all().delete()
    make(make_more)
    with django_assert_num_queries(2):
        catalog = procedure_catalog()
    assert len(catalog) == make_more and all(len(p.steps) == 3 for p in catalog.values())
    with django_assert_num_queries(2):
        assert list(procedure_catalog(["9.000001", "9.000005", "x"])) == ["9.000001", "9.000005"]


def test_catalog_includes_procedures_no_longer_in_force(db):
    make(1)
    Procedure.objects.update(is_active=False)
    assert list(procedure_catalog()) == ["9.000000"]


def test_catalog_is_read_only(db):
    make(1)
    catalog = procedure_catalog()
    try:
        catalog["x"] = None  # type: ignore[index]
    except TypeError:
        pass
    else:
        raise AssertionError("the catalog must be read-only")
