"""The forms of the dossier screens (labels in Vietnamese, marked for translation)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from congvu.apps.dossiers.display import RESULTS

RECEIVE_CHANNELS = [
    ("direct", _("Trực tiếp tại Bộ phận Một cửa")),
    ("online", _("Trực tuyến")),
    ("postal", _("Bưu chính công ích")),
]


class MomentInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _lines(text: str) -> list[str]:
    return [x.strip() for x in text.splitlines() if x.strip()]


class ReceiveForm(forms.Form):
    agency = forms.ChoiceField(label=_("Nơi tiếp nhận"))
    procedure = forms.ChoiceField(label=_("Thủ tục hành chính"))
    channel = forms.ChoiceField(label=_("Hình thức nộp"), choices=RECEIVE_CHANNELS)
    name = forms.CharField(label=_("Họ tên người nộp / tên tổ chức"), max_length=255)
    id_number = forms.CharField(
        label=_("Số định danh cá nhân / CCCD"), max_length=20, required=False
    )
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    documents = forms.CharField(
        label=_("Giấy tờ đã nhận (mỗi dòng một loại)"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, agencies, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(u.code, u.name) for u in agencies]
        self.fields["procedure"].choices = [("", "—")] + [
            (p.code, f"{p.code} — {p.name}") for p in procedures
        ]

    def clean_documents(self) -> list[str]:
        return _lines(self.cleaned_data["documents"])


class AssignForm(forms.Form):
    official = forms.ChoiceField(label=_("Giao cho cán bộ"))
    step = forms.ChoiceField(label=_("Bước xử lý"), required=False)

    def __init__(self, *args, officials, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].choices = [(o.code, o.full_name) for o in officials]
        self.fields["step"].choices = [("", "—")] + [(s.code, s.name) for s in steps]


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("Bước đã hoàn thành"))

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(s.code, s.name) for s in steps]


class UnitReasonForm(forms.Form):
    to_unit = forms.ChoiceField(label=_("Chuyển đến đơn vị"))
    reason = forms.CharField(label=_("Lý do"), max_length=500)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].choices = [(u.code, u.name) for u in units]


class ConsultForm(forms.Form):
    to_unit = forms.ChoiceField(label=_("Xin ý kiến đơn vị"))
    due = forms.DateTimeField(label=_("Hạn trả lời"), widget=MomentInput())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].choices = [(u.code, u.name) for u in units]


class AnswerForm(forms.Form):
    from_unit = forms.ChoiceField(label=_("Đơn vị đã trả lời"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_unit"].choices = [(u, u) for u in units]


class SupplementForm(forms.Form):
    documents = forms.CharField(
        label=_("Giấy tờ cần bổ sung (mỗi dòng một loại)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label=_("Lý do"), max_length=500)
    confirm_repeat = forms.BooleanField(
        label=_("Tôi hiểu đây là lần yêu cầu bổ sung thứ hai, trái quy định, và vẫn thực hiện."),
        required=False,
    )

    def clean_documents(self) -> list[str]:
        return _lines(self.cleaned_data["documents"])


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApologyForm(forms.Form):
    new_due = forms.DateTimeField(label=_("Ngày hẹn trả kết quả mới"), widget=MomentInput())
    reason = forms.CharField(
        label=_("Lý do quá hạn"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(forms.Form):
    result = forms.ChoiceField(label=_("Kết quả"), choices=list(RESULTS.items()))
    text = forms.CharField(label=_("Nội dung"), max_length=1000, required=False)


class EmptyForm(forms.Form):
    pass


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Mức độ hài lòng"),
        coerce=int,
        choices=[
            (5, _("5 — Rất hài lòng")),
            (4, _("4 — Hài lòng")),
            (3, _("3 — Bình thường")),
            (2, _("2 — Không hài lòng")),
            (1, _("1 — Rất không hài lòng")),
        ],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(label=_("Góp ý (không bắt buộc)"), max_length=1000, required=False)


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=80)
    secret = forms.CharField(label=_("Mã tra cứu (in trên giấy tiếp nhận)"), max_length=12)

    def clean_secret(self) -> str:
        return self.cleaned_data["secret"].strip().upper()

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()
