import json

from congvu.apps.procedures.formats import dumps_catalog
from congvu.apps.procedures.models import Procedure
from congvu.apps.procedures.selectors import procedures_export
from congvu.apps.procedures.services import procedures_import
from congvu.domain.procedures import parse_catalog

from .conftest import dumps, v1


def test_export_is_valid_v1_and_import_export_import_is_identical(cast):
    half = v1(
        "1.000894",
        level=None,
        limit={"calendar_days": 15.5},
        fee=1500.5,
        steps=[{"code": "a", "name": "A", "role": "specialist", "budget": {"calendar_days": 0.5}}],
        related_units=["D1", "C1"],
    )
    del half["level"]
    procedures_import(data=dumps(v1(), half))
    first = procedures_export("json")
    parse_catalog(first)  # the domain reads it back as v1
    assert json.loads(first)[0] == {**half, "related_units": ["C1", "D1"]}
    before = list(Procedure.objects.values())
    report = procedures_import(data=first)
    assert report.procedures.unchanged == 2
    assert list(Procedure.objects.values()) == before
    assert procedures_export("json") == first


def test_canonical_json_has_one_step_per_line_and_keys_in_interchange_order():
    text = dumps_catalog([v1()])
    assert text.startswith('[\n  {\n    "code": "1.001193",\n    "name": "Đăng ký khai sinh",')
    assert '    "time_limit": {"working_days": 3},\n' in text
    assert (
        '      {"code": "receive", "name": "Tiếp nhận", "role": "one_stop",'
        ' "budget": {"working_hours": 4}},\n'
    ) in text
    assert json.loads(text) == [v1()]
    assert dumps_catalog([]) == "[]\n"


def test_export_of_a_selection(cast):
    procedures_import(data=dumps(v1(), v1("2.000815")))
    assert [p["code"] for p in json.loads(procedures_export("json", codes=["2.000815"]))] == [
        "2.000815"
    ]
