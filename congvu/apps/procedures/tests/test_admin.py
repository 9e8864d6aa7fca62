from django.urls import reverse

from congvu.apps.procedures.models import Procedure
from congvu.apps.procedures.services import procedures_import

from .conftest import dumps, v1


def form_data(**overrides):
    data = {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "level": "commune",
        "field": "Hộ tịch",
        "is_active": "on",
        "time_limit_amount": "3",
        "time_limit_unit": "working_days",
        "fee": "0",
        "fee_note": "",
        "legal_basis": "Luật Hộ tịch 2014\nNghị định 123/2015/NĐ-CP",
        "related_units": ["D1"],
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-order": "1",
        "steps-0-code": "receive",
        "steps-0-name": "Tiếp nhận",
        "steps-0-role": "one_stop",
        "steps-0-budget_amount": "4",
        "steps-0-budget_unit": "working_hours",
        "steps-1-order": "2",
        "steps-1-code": "review",
        "steps-1-name": "Thẩm định",
        "steps-1-role": "specialist",
        "steps-1-budget_amount": "2",
        "steps-1-budget_unit": "working_days",
        "documents-TOTAL_FORMS": "1",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
        "documents-0-order": "1",
        "documents-0-name": "Tờ khai đăng ký khai sinh",
        "documents-0-originals": "1",
        "documents-0-copies": "0",
        "documents-0-note": "",
    }
    data.update(overrides)
    return data


def test_admin_saves_a_valid_procedure_with_steps_and_documents(admin_client, cast):
    response = admin_client.post(reverse("admin:procedures_procedure_add"), form_data())
    assert response.status_code == 302, response.context["errors"]
    p = Procedure.objects.get(code="1.001193")
    assert p.legal_basis == ["Luật Hộ tịch 2014", "Nghị định 123/2015/NĐ-CP"]
    assert p.related_units == ["D1"] and p.search_text == "1.001193 dang ky khai sinh"
    assert p.steps.count() == 2 and p.documents.get().name == "Tờ khai đăng ký khai sinh"


def test_admin_refuses_steps_over_the_time_limit(admin_client, cast):
    data = form_data(**{"steps-1-budget_amount": "3"})
    response = admin_client.post(reverse("admin:procedures_procedure_add"), data)
    assert response.status_code == 200 and not Procedure.objects.exists()
    assert "vượt thời hạn giải quyết" in response.content.decode()


def test_admin_refuses_a_shorter_limit_than_the_stored_steps(admin_client, cast):
    procedures_import(data=dumps(v1()))
    p = Procedure.objects.get()
    steps = list(p.steps.order_by("order"))
    data = form_data(
        time_limit_amount="1",
        **{
            "steps-TOTAL_FORMS": "3",
            "steps-INITIAL_FORMS": "3",
            "documents-TOTAL_FORMS": "0",
        },
    )
    for i, s in enumerate(steps):
        data.update(
            {
                f"steps-{i}-id": str(s.pk),
                f"steps-{i}-procedure": str(p.pk),
                f"steps-{i}-order": str(s.order),
                f"steps-{i}-code": s.code,
                f"steps-{i}-name": s.name,
                f"steps-{i}-role": s.role,
                f"steps-{i}-budget_amount": str(s.budget_amount),
                f"steps-{i}-budget_unit": s.budget_unit,
            }
        )
    url = reverse("admin:procedures_procedure_change", args=[p.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "vượt thời hạn giải quyết" in response.content.decode()
    assert Procedure.objects.get().time_limit_amount == 3


def test_admin_refuses_a_time_limit_in_thirds(admin_client, cast):
    response = admin_client.post(
        reverse("admin:procedures_procedure_add"), form_data(time_limit_amount="2.3")
    )
    assert response.status_code == 200 and not Procedure.objects.exists()
    assert "nửa đơn vị" in response.content.decode()


def test_admin_list_and_change_pages_render(admin_client, cast):
    procedures_import(data=dumps(v1()))
    assert (
        "3 ngày làm việc"
        in admin_client.get(reverse("admin:procedures_procedure_changelist")).content.decode()
    )
    p = Procedure.objects.get()
    page = admin_client.get(reverse("admin:procedures_procedure_change", args=[p.pk]))
    assert page.status_code == 200 and "Luật Hộ tịch 2014" in page.content.decode()
