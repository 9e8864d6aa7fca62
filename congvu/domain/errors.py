"""Domain errors: each has a stable ``code`` and a message in Vietnamese and English.

The shell turns them into form errors, HTTP 400/409 responses and CLI messages; the domain
never raises Django's ``ValidationError``. Subclasses set ``code`` and the two templates;
templates use ``str.format`` fields filled from the keyword arguments given at raise time.
"""

from __future__ import annotations

from typing import Any, ClassVar

Lang = str  # "vi" or "en"


class DomainError(Exception):
    """Base class. ``DomainError(code=..., vi=..., en=...)`` works for one-off errors."""

    code: ClassVar[str] = "domain_error"
    template_vi: ClassVar[str] = "Lỗi nghiệp vụ."
    template_en: ClassVar[str] = "Domain error."

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(self.message("vi"))

    def message(self, lang: Lang = "vi") -> str:
        """The message in ``lang`` ("vi" default, "en"), with the parameters filled in."""
        template = self.template_en if lang == "en" else self.template_vi
        return template.format(**self.params)

    def as_dict(self, lang: Lang = "vi") -> dict[str, Any]:
        """A JSON-ready description: code, message and parameters."""
        return {"code": self.code, "message": self.message(lang), "params": self.params}

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled whole (a worker process's rejections reach the parent, ledger/workers.py):
        # the default, ``cls(*args)``, would pass the message where keywords are expected.
        return (_restore, (type(self), self.args), self.__dict__)


def _restore(cls: type[DomainError], args: tuple[Any, ...]) -> DomainError:
    error = cls.__new__(cls)
    error.args = args
    return error


class NaiveMomentError(DomainError):
    code = "naive_moment"
    template_vi = "Thời điểm {moment} thiếu múi giờ (cần dạng ISO 8601 có độ lệch, ví dụ +07:00)."
    template_en = (
        "Moment {moment} has no UTC offset (ISO 8601 with an offset is required, e.g. +07:00)."
    )
