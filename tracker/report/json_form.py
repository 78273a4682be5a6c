"""Provides `render_json`: the report as stable JSON (sorted keys; schema in docs/mentor.md)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from tracker.report.model import MenteeReport, Report

__all__ = ["REPORT_VERSION", "render_json", "report_to_dict"]

REPORT_VERSION = 2
"""The report schema's version; raised whenever a field changes meaning or disappears."""


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _mentee(mentee: MenteeReport) -> dict[str, Any]:
    return {
        "name": mentee.name,
        "items": [
            {
                "id": line.item_id,
                "meeting": _day(line.meeting),
                "order": line.order,
                "kind": str(line.kind),
                "resource": line.resource,
                "title": line.title,
                "scope": line.scope,
                "status": str(line.status),
                "detail": line.detail,
                "done": line.done,
                "total": line.total,
                "done_parts": list(line.done_parts),
                "position": line.position,
                "section": str(line.section),
                "carried": line.carried,
                "carried_since": _day(line.carried_since),
                "reassigned_from": [_day(d) for d in line.reassigned_from],
                "first_assigned": _day(line.first_assigned),
                "finished": _moment(line.finished),
                "merged_into": line.merged_into,
            }
            for line in mentee.items
        ],
        "mentor_todos": [
            {
                "item": t.item_id,
                "meeting": _day(t.meeting),
                "text": t.text,
                "done": t.is_done,
                "ready": _day(t.ready),
                "waits_on": t.task or None,
            }
            for t in mentee.todos
        ],
        "quiz_accuracy": [
            {
                "topic": a.topic,
                "title": a.title,
                "answers": a.reviews,
                "right": a.correct,
                "accuracy": round(a.accuracy, 4),
            }
            for a in mentee.accuracy
        ],
        "lapsing_cards": [
            {"question": c.question, "topic": c.topic, "prompt": c.prompt, "lapses": c.lapses}
            for c in mentee.lapsing
        ],
        "questions": [
            {
                "text": q.text,
                "asked": _moment(q.asked),
                "answered": q.is_done,
                "meeting": _day(q.meeting),
            }
            for q in mentee.questions
        ],
        "time_spent": {"seconds": mentee.time.seconds, "days": mentee.time.days},
        "no_longer_in_curriculum": [
            {
                "key": o.key,
                "done": o.is_done,
                "position": o.position,
                "updated": _moment(o.updated),
            }
            for o in mentee.orphans
        ],
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as JSON-ready values (the schema in docs/mentor.md)."""
    return {
        "version": REPORT_VERSION,
        "meeting": _day(report.meeting),
        "previous_meeting": _day(report.previous),
        "since": _day(report.since),
        "since_given": report.is_since_given,
        "until": _day(report.until),
        "as_of": report.is_as_of,
        "mentees": [_mentee(m) for m in report.mentees],
    }


def render_json(report: Report) -> str:
    """Renders the report as JSON: sorted keys, two-space indent, UTF-8 text, final newline."""
    return json.dumps(report_to_dict(report), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
