"""Event ingestion (interchange.md v1) for external one-stop systems: ``POST /api/v1/events``.

The body is JSON Lines, streamed from the socket (no size cap beyond the server's), so a
system can push a day's or a year's history in one request. Authentication is a bearer token
per source system (``congvu sources add``); a system may only write items of its own source.
Idempotent: re-sending stored events is a no-op reported as ``duplicates``.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router, Schema
from ninja.security import HttpBearer

from congvu.apps.ledger.models import SourceSystem
from congvu.apps.ledger.services import events_ingest, token_digest

router = Router(tags=["Sự kiện"])


class SourceToken(HttpBearer):
    """``Authorization: Bearer <token>`` of an active source system."""

    def authenticate(self, request: HttpRequest, token: str) -> SourceSystem | None:
        return SourceSystem.objects.filter(token_hash=token_digest(token), active=True).first()


class RejectionOut(Schema):
    line: int | None
    item: str | None
    seq: int | None
    code: str
    message: str


class IngestOut(Schema):
    read: int
    appended: int
    duplicates: int
    held: int
    released: int
    rejected: int
    items_created: int
    rejections: list[RejectionOut]


_BODY = {
    "requestBody": {
        "required": True,
        "description": "JSON Lines: one event (interchange.md v1) per line, UTF-8.",
        "content": {
            "application/x-ndjson": {"schema": {"type": "string"}},
            "application/jsonl": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/v1/events",
    auth=SourceToken(),
    response={200: IngestOut, 422: IngestOut},
    openapi_extra=_BODY,
    summary="Gửi sự kiện (JSON Lines)",
)
def events_post(request: HttpRequest):
    """Append events to the ledger. 200: every line was stored or already stored; 422: some
    lines were refused (``rejections`` says which and why; the other lines were stored)."""
    lang = "en" if (get_language() or "vi").startswith("en") else "vi"
    report = events_ingest(_lines(request), allowed_source=request.auth.code)
    body = report.as_dict(lang)
    body["rejections"] = [
        {k: r[k] for k in ("line", "item", "seq", "code", "message")} for r in body["rejections"]
    ]
    return (422 if report.rejected_count else 200), body


def _lines(request: HttpRequest):
    """The body line by line from the stream (Django reads ``wsgi.input`` lazily)."""
    while line := request.readline():
        yield line
