"""考场情况记录表, filled in from what exam day recorded (``job.exam_day``): the layout of
the blank form (``room_record``) — the session's facts, 应考/实考/缺考, the absent
candidates (seat, name, ticket), what happened in the room (incidents other than
misconduct, late entries, early leavings), 考生违纪情况 with a line for the candidate's
signature, 备注, the invigilators' names over blank signature cells — with the recorded
facts printed where the invigilators would have written them.

Where nothing was recorded for a room session the counts stay blank lines to fill in by
hand (``domain.exam_day_record`` says why); the incidents are printed all the same.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from examsite.domain.exam_day_record import (
    UNRECORDED,
    Counts,
    IncidentLine,
    RoomSessionRecord,
)
from examsite.domain.materials import RoomFacts, RoomSessionFacts
from examsite.formats.pdf import room_record
from examsite.formats.pdf.job import PrintJob
from examsite.formats.pdf.room_record import COPIES, SIGN_ROW, TITLE
from examsite.formats.pdf.tables import (
    certificate_line,
    room_sessions,
    seat_range,
    subject_line,
    when_text,
)
from examsite.messages.incidents import ABSENCE_TITLES, INCIDENT_TITLES, REMARK_TITLES

BLANK = "______"
VALUE_SIZE = 9.5


def counts_text(counts: Counts) -> str:
    """``应考 40 人　　实考 38 人　　缺考 2 人`` (blanks where nothing was recorded)."""
    present = BLANK if counts.present is None else str(counts.present)
    absent = BLANK if counts.absent is None else str(counts.absent)
    text = f"应考 {counts.expected} 人　　实考 {present} 人　　缺考 {absent} 人"
    if counts.recorded and counts.unrecorded:
        text += f"　　（另有 {counts.unrecorded} 人未登记）"
    return text


def absentees_text(counts: Counts) -> str:
    """``3 号　张三　准考证号 …（缺考）`` one a line; "无" when everyone came."""
    if not counts.recorded:
        return ""
    if not counts.absentees:
        return "无"
    return "\n".join(
        f"{s.seat} 号　{s.name}　{s.ticket}　{ABSENCE_TITLES.get(s.status or UNRECORDED, '')}"
        for s in counts.absentees
    )


def incident_text(line: IncidentLine) -> str:
    """``09:10 延时 10 分钟：说明；处理：…（记录人 王老师）``."""
    title = INCIDENT_TITLES.get(line.code, line.code)
    if line.minutes:
        title += f" {line.minutes} 分钟"
    who = f"　{'、'.join(line.candidates)}" if line.candidates else ""
    parts = [p for p in (line.description, f"处理：{line.action}" if line.action else "") if p]
    by = f"（记录人 {line.recorded_by}）" if line.recorded_by else ""
    return f"{line.occurred_at:%H:%M} {title}{who}：{'；'.join(parts)}{by}"


def situation_text(record: RoomSessionRecord) -> str:
    """The incidents other than misconduct, then late entries and early leavings."""
    lines = [incident_text(i) for i in record.incidents if i.code != "misconduct"]
    for status in ("late", "left_early"):
        who = [f"{s.name}（{s.seat} 号）" for s in record.counts.remarks if s.status == status]
        if who:
            lines.append(f"{REMARK_TITLES[status]}：{'、'.join(who)}")
    if not lines and record.counts.recorded and record.ended:
        return "无"
    return "\n".join(lines)


def misconduct_text(record: RoomSessionRecord) -> str:
    lines = [incident_text(i) for i in record.incidents if i.code == "misconduct"]
    named = "".join(i.description + "".join(i.candidates) for i in record.incidents)
    others = [
        f"{s.name}（{s.seat} 号）"
        for s in record.counts.remarks
        if s.status == "misconduct" and s.name not in named
    ]
    if others:
        lines.append(f"签到记为违纪：{'、'.join(others)}")
    if not lines and record.counts.recorded and record.ended:
        return "无"
    return "\n".join(lines)


def remarks_text(record: RoomSessionRecord) -> str:
    notes = []
    if record.extension:
        notes.append(f"本场次共延时 {record.extension} 分钟。")
    if any(s.status == UNRECORDED for s in record.counts.absentees):
        notes.append("考试结束时仍未签到的考生按缺考计。")
    if record.counts.recorded and record.counts.unrecorded:
        notes.append(f"打印时尚有 {record.counts.unrecorded} 名考生未登记签到。")
    if not record.counts.recorded and record.ended:
        notes.append("本场次没有电子签到记录，人数请按纸质签到表填写。")
    return "".join(notes)


def filled_rows(
    job: PrintJob, room: RoomFacts, rs: RoomSessionFacts, record: RoomSessionRecord
) -> list[tuple[str, str, float]]:
    """(label, printed value, row height in mm) from top to bottom."""
    when = when_text(rs)
    if record.extension:
        when += f"（延时 {record.extension} 分钟）"
    return [
        ("考点名称", job.data.site.name, 10),
        ("考场", f"{room.name}　（{room.address}）" if room.address else room.name, 10),
        ("证书及等级", certificate_line(rs), 9),
        ("考试科目", f"{subject_line(rs)}　{rs.mode}", 9),
        ("考试时间", when, 9),
        ("座位号", f"{seat_range(rs)}　（共 {len(rs.seats)} 个考位）", 9),
        ("考生人数", counts_text(record.counts), 11),
        ("缺考考生\n（座位号、姓名、\n准考证号）", absentees_text(record.counts), 38),
        ("考场情况\n（设备故障、更换\n考生机、延时等）", situation_text(record), 38),
        ("考生违纪情况\n（处理意见，\n考生签字）", misconduct_text(record), 34),
        ("备注", remarks_text(record), 16),
        ("监考员签字", "", SIGN_ROW),
    ]


def draw_page(
    canvas: Canvas,
    job: PrintJob,
    room: RoomFacts,
    rs: RoomSessionFacts,
    record: RoomSessionRecord,
    copy: str = "",
) -> None:
    room_record.draw_page(
        canvas,
        job,
        room,
        rs,
        copy,
        rows=filled_rows(job, room, rs, record),
        value_size=VALUE_SIZE,
        footnote="（据签到和突发情况记录填写，监考员核对后签字）",
    )


def empty_record(rs: RoomSessionFacts) -> RoomSessionRecord:
    """The record of a room session nothing is known of (blank counts)."""
    return RoomSessionRecord(
        rs.uid, Counts(len(rs.seats), None, None, len(rs.seats), (), ()), (), False
    )


def draw_sessions(
    canvas: Canvas, job: PrintJob, pairs: list[tuple[RoomFacts, RoomSessionFacts]]
) -> int:
    """``COPIES`` filled forms for each of ``pairs``; returns the pages drawn."""
    for index, (r, rs) in enumerate(pairs):
        job.progress.check_cancelled()
        record = job.exam_day.of(rs.uid) if job.exam_day is not None else None
        for copy in COPIES:
            draw_page(canvas, job, r, rs, record or empty_record(rs), copy)
        job.progress.step(index + 1, len(pairs), TITLE)
    return len(pairs) * len(COPIES)


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    """The filled forms of every room session of ``room`` (of the plan when None)."""
    return draw_sessions(canvas, job, room_sessions(job.data, room))
