from django.urls import reverse

from congvu.apps.organisations.models import Official
from congvu.apps.procedures.models import Procedure, ProcedureDocument
from congvu.apps.procedures.services import procedures_import

from .conftest import dumps, v1


def catalog(*objects):
    procedures_import(data=dumps(*objects))


def test_catalog_is_public_and_lists_procedures_in_force(client, cast):
    catalog(v1(), v1("2.000815", name="Chứng thực bản sao từ bản chính", field="Chứng thực"))
    Procedure.objects.filter(code="2.000815").update(is_active=False)
    response = client.get(reverse("procedures:catalog"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Đăng ký khai sinh" in page and "Chứng thực bản sao" not in page
    assert "Tìm thấy 1 thủ tục." in page and "3 ngày làm việc" in page
    assert 'href="/thu-tuc/"' in page  # the navigation link, for everyone


def test_search_by_name_with_or_without_diacritics_and_by_code(client, cast):
    catalog(v1(), v1("1.000894", name="Đăng ký kết hôn"))
    url = reverse("procedures:catalog")
    for query in ("khai sinh", "KHAI SINH", "dang ky khai sinh", "Đăng ký khai sinh", "1.001193"):
        page = client.get(url, {"q": query}).content.decode()
        assert "Tìm thấy 1 thủ tục." in page and "Đăng ký khai sinh" in page, query
    assert "Tìm thấy 2 thủ tục." in client.get(url, {"q": "đăng ký"}).content.decode()
    assert "Không có thủ tục nào phù hợp" in client.get(url, {"q": "xe máy"}).content.decode()


def test_filters_by_level_and_field(client, cast):
    catalog(
        v1(),
        v1(
            "2.001610",
            name="Đăng ký thành lập doanh nghiệp tư nhân",
            level="province",
            field="Doanh nghiệp",
        ),
    )
    url = reverse("procedures:catalog")
    page = client.get(url, {"cap": "province"}).content.decode()
    assert "doanh nghiệp tư nhân</a>" in page and "khai sinh</a>" not in page
    page = client.get(url, {"linh_vuc": "Hộ tịch"}).content.decode()
    assert "khai sinh</a>" in page and "doanh nghiệp tư nhân</a>" not in page
    assert '<option value="Doanh nghiệp">' in page
    page = client.get(url, {"cap": "nowhere"}).content.decode()  # ignored, not an error
    assert "Tìm thấy 2 thủ tục." in page


def test_catalog_is_paginated(client, cast):
    catalog(*(v1(f"9.{i:06d}", name=f"Thủ tục số {i}") for i in range(25)))
    url = reverse("procedures:catalog")
    first = client.get(url, {"q": "thủ tục"}).content.decode()
    assert "Trang 1/2" in first and "trang=2" in first and "q=th%E1%BB%A7+t%E1%BB%A5c" in first
    second = client.get(url, {"q": "thủ tục", "trang": 2}).content.decode()
    assert "Thủ tục số 24" in second and "Thủ tục số 0<" not in second
    assert client.get(url, {"trang": "x"}).status_code == 200


def test_detail_page_shows_everything_a_citizen_needs(client, cast):
    catalog(v1(fee=50000))
    p = Procedure.objects.get()
    p.fee_note = "Nộp tại quầy"
    p.save()
    ProcedureDocument.objects.create(
        procedure=p, order=1, name="Giấy chứng sinh", copies=1, note="Bản do cơ sở y tế cấp"
    )
    p.officials.add(Official.objects.get(code="ALICE"))
    response = client.get(reverse("procedures:detail", args=["1.001193"]))
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "<h1>Đăng ký khai sinh</h1>",
        "1.001193",
        "Cấp xã",
        "Hộ tịch",
        "3 ngày làm việc",
        "50.000 đồng",
        "Nộp tại quầy",
        "Giấy chứng sinh",
        "bản chính: 1, bản sao: 1",
        "Bản do cơ sở y tế cấp",
        "Luật Hộ tịch 2014",
        "Tiếp nhận",
        "Cán bộ một cửa",
        "4 giờ làm việc",
        "2 ngày làm việc",
        "Thủ trưởng đơn vị",
        "Sở Tư pháp",
        "Nguyễn Thị An — Chuyên viên, Sở Tư pháp",
    ):
        assert text in page, text


def test_detail_shows_half_days_with_a_decimal_comma_and_free_procedures(client, cast):
    steps = [{"code": "a", "name": "Ký", "role": "unit_head", "budget": {"working_days": 0.5}}]
    catalog(v1(limit={"calendar_days": 15}, steps=steps))
    page = client.get(reverse("procedures:detail", args=["1.001193"])).content.decode()
    assert "15 ngày" in page and "0,5 ngày làm việc" in page
    assert "Không thu phí, lệ phí" in page


def test_detail_in_english(client, cast):
    catalog(v1())
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("procedures:detail", args=["1.001193"]))
    assert response.status_code == 200 and '<html lang="en">' in response.content.decode()


def test_unknown_or_repealed_procedure_is_404(client, cast):
    assert client.get(reverse("procedures:detail", args=["0.000000"])).status_code == 404
    catalog(v1())
    Procedure.objects.update(is_active=False)
    assert client.get(reverse("procedures:detail", args=["1.001193"])).status_code == 404


def test_catalog_pages_query_count_does_not_grow(client, cast, django_assert_max_num_queries):
    catalog(*(v1(f"9.{i:06d}") for i in range(20)))
    with django_assert_max_num_queries(6):
        client.get(reverse("procedures:catalog"))
