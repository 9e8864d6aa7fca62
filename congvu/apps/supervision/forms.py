"""Forms of the supervision screens: the findings filter, a head's justification (reason and a
supporting document, checked for size and type), a supervisor's review."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from congvu.apps.supervision.models import Finding
from congvu.domain.supervision import RULES

#: Accepted documents: extension → the bytes the file must start with. Office documents are
#: ZIP containers (docx, odt); a renamed executable does not pass.
DOCUMENT_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
}
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
REASON_MIN = 10


class FindingFilterForm(forms.Form):
    ky = forms.CharField(label=_("Kỳ (2026, 2026-Q3, 2026-10)"), required=False, max_length=10)
    quy_tac = forms.ChoiceField(label=_("Quy tắc"), required=False)
    don_vi = forms.CharField(label=_("Mã đơn vị chịu trách nhiệm"), required=False, max_length=40)
    can_bo = forms.CharField(label=_("Mã cán bộ chịu trách nhiệm"), required=False, max_length=40)
    giai_trinh = forms.ChoiceField(
        label=_("Giải trình"),
        required=False,
        choices=[("", _("Tất cả")), ("none", Finding.Review.NONE.label)]
        + [(c, label) for c, label in Finding.Review.choices if c],
    )
    muc_do = forms.ChoiceField(
        label=_("Mức độ"),
        required=False,
        choices=[("", _("Tất cả")), *Finding.SeverityChoice.choices],
    )
    hieu_luc = forms.ChoiceField(
        label=_("Hiệu lực"),
        required=False,
        choices=[
            ("", _("Còn hiệu lực")),
            ("het", _("Không còn hiệu lực")),
            ("tat-ca", _("Tất cả")),
        ],
    )
    q = forms.CharField(label=_("Mã hồ sơ"), required=False, max_length=80)

    #: URL parameters use dashes (``quy-tac``); form fields cannot.
    PARAMS = {"quy-tac": "quy_tac", "don-vi": "don_vi", "can-bo": "can_bo",
              "giai-trinh": "giai_trinh", "muc-do": "muc_do", "hieu-luc": "hieu_luc"}  # fmt: skip

    def __init__(self, data=None, *, lang: str = "vi", **kwargs):
        super().__init__(data, **kwargs)
        self.fields["quy_tac"].choices = [("", _("Tất cả"))] + [
            (code, f"{rule.title(lang)} ({code})") for code, rule in RULES.items()
        ]

    def add_prefix(self, field_name: str) -> str:
        # the name in the URL and in the HTML, also where the data is read from
        return {v: k for k, v in self.PARAMS.items()}.get(field_name, field_name)


class JustificationForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("Nêu lý do chính đáng dẫn đến vi phạm và căn cứ xác minh."),
    )
    document = forms.FileField(
        label=_("Tài liệu chứng minh"),
        help_text=_("PDF, ảnh (JPG, PNG) hoặc văn bản (DOCX, ODT), tối đa 10 MB."),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < REASON_MIN:
            raise forms.ValidationError(
                _("Lý do quá ngắn: cần ít nhất %(n)d ký tự để người xem xét đánh giá được."),
                params={"n": REASON_MIN},
            )
        return reason

    def clean_document(self):
        upload = self.cleaned_data["document"]
        name = PurePath(upload.name).name
        suffix = PurePath(name).suffix.lower()
        if upload.size > DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp «%(name)s» nặng %(mb)s MB, vượt giới hạn 10 MB."),
                params={"name": name, "mb": f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")},
            )
        if suffix not in DOCUMENT_TYPES:
            raise forms.ValidationError(
                _("Tệp «%(name)s»: chỉ nhận PDF, JPG, PNG, DOCX hoặc ODT."),
                params={"name": name},
            )
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in DOCUMENT_TYPES[suffix]):
            raise forms.ValidationError(
                _("Tệp «%(name)s»: nội dung không phải tệp %(type)s như đuôi tên tệp."),
                params={"name": name, "type": suffix[1:].upper()},
            )
        return upload


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Kết quả xem xét"),
        choices=[("accept", _("Chấp nhận (lý do chính đáng)")), ("reject", _("Không chấp nhận"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Ý kiến"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text=_("Bắt buộc khi không chấp nhận: nêu rõ lý do."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("Khi không chấp nhận giải trình, cần nêu rõ lý do."))
        return data
