"""The demo catalog files: v1 procedures.json, procedure_units.json, procedure_details.json."""

import json
from collections import Counter

from congvu.apps.demo.province import DEPARTMENTS, PROVINCE_CODE, build_province
from congvu.apps.organisations.models import Role
from congvu.apps.procedures.models import Procedure, ProcedureDocument
from congvu.apps.procedures.selectors import procedures_export
from congvu.apps.procedures.services import DEMO_DATA, procedures_load_demo
from congvu.domain.procedures import parse_catalog

TEXT = (DEMO_DATA / "procedures.json").read_text(encoding="utf-8")
UNITS = json.loads((DEMO_DATA / "procedure_units.json").read_text(encoding="utf-8"))
DETAILS = json.loads((DEMO_DATA / "procedure_details.json").read_text(encoding="utf-8"))


def test_demo_catalog_parses_with_the_domain_parser():
    catalog = parse_catalog(TEXT)
    assert 55 <= len(catalog) <= 70
    levels = Counter(p.level for p in catalog.values())
    assert (
        set(levels) == {"commune", "province"} and abs(levels["commune"] - levels["province"]) <= 6
    )
    assert len({p.field for p in catalog.values()}) >= 20


def test_every_demo_procedure_has_three_to_five_steps_with_position_roles():
    roles = set(Role.values)
    for proc in parse_catalog(TEXT).values():
        assert 3 <= len(proc.steps) <= 5, proc.code
        assert {s.role for s in proc.steps} <= roles, proc.code
        assert proc.legal_basis, proc.code


def test_demo_related_units_and_handling_departments_exist_in_the_demo_province():
    codes = {u.code for u in build_province().units}
    departments = {f"{PROVINCE_CODE}.{i:02d}" for i in range(1, len(DEPARTMENTS) + 1)}
    for proc in parse_catalog(TEXT).values():
        assert proc.related_units <= codes, proc.code
    assert set(UNITS.values()) <= departments
    province_fields = {p.field for p in parse_catalog(TEXT).values() if p.level == "province"}
    assert province_fields == set(UNITS)


def test_every_demo_procedure_has_its_required_documents():
    assert set(DETAILS) == set(parse_catalog(TEXT))
    for code, entry in DETAILS.items():
        assert entry["documents"], code
        assert all(d["name"] for d in entry["documents"]), code


def test_demo_file_is_in_the_canonical_export_form(demo_province):
    procedures_load_demo()
    assert procedures_export("json") == TEXT


def test_loading_the_demo_twice_changes_nothing(demo_province):
    first = procedures_load_demo()
    assert first.procedures.created == len(DETAILS)
    snapshot = (
        list(Procedure.objects.values()),
        list(ProcedureDocument.objects.values_list("procedure__code", "order", "name")),
        sorted(
            Procedure.officials.through.objects.values_list("procedure__code", "official__code")
        ),
    )
    second = procedures_load_demo()
    assert second.procedures.unchanged == len(DETAILS)
    assert snapshot == (
        list(Procedure.objects.values()),
        list(ProcedureDocument.objects.values_list("procedure__code", "order", "name")),
        sorted(
            Procedure.officials.through.objects.values_list("procedure__code", "official__code")
        ),
    )


def test_demo_publishes_documents_fee_notes_and_the_department_heads(demo_province):
    procedures_load_demo()
    birth = Procedure.objects.get(code="1.001193")
    assert birth.documents.count() == len(DETAILS["1.001193"]["documents"])
    assert not birth.officials.exists()  # commune staff differ from commune to commune
    company = Procedure.objects.get(code="2.001610")
    assert company.fee_note.startswith("50.000 đồng")
    heads = company.officials.all()
    assert heads and all(
        o.positions.filter(unit__code=UNITS[company.field], role="unit_head").exists()
        for o in heads
    )
