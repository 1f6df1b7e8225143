"""``status``: the round's progress, problems and deadlines."""

from __future__ import annotations

import argparse

from examsite.commands.context import Context, json_flag
from examsite.messages import (
    CANDIDATE_ISSUE_TITLES,
    CANDIDATE_STATUS_TITLES,
    STATE_TITLES,
    STEP_TITLES,
    WINDOW_TITLES,
    render,
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("status", help="本轮考试的进度、问题和截止时间")
    json_flag(parser)
    parser.set_defaults(handler=show_status)


def show_status(ctx: Context) -> int:
    from examsite.services.status import round_status

    status = round_status(ctx.db)
    if ctx.json:
        ctx.emit(
            {
                "candidates": status.candidates.total,
                "registrations": status.registrations,
                "rooms": status.rooms,
                "candidates_by_status": status.candidates.by_status,
                "candidates_by_issue": status.candidates.by_issue,
                "candidates_to_handle": status.candidates.to_handle,
                "photos_by_state": status.candidates.by_photo,
                "plans": [
                    {
                        "code": p.code,
                        "name": p.name,
                        "registration_deadline": p.registration_deadline.isoformat(),
                        "days_left": p.days_left,
                        "next_deadline": None
                        if p.next_deadline is None
                        else {
                            "window": p.next_deadline.window,
                            "end": p.next_deadline.end.isoformat(),
                        },
                    }
                    for p in status.plans
                ],
                "steps": [
                    {
                        "step": s.step.value,
                        "state": s.state.value,
                        "summary": dict(s.summary),
                        "figure": render(s.figure),
                        "problems": [render(p) for p in s.problems],
                        "problem_codes": [p.code for p in s.problems],
                    }
                    for s in status.steps
                ],
            }
        )
        return 0
    counts = status.candidates
    ctx.say(f"考生 {counts.total} 人，报考 {status.registrations} 条，考场 {status.rooms} 个。")
    if counts.by_status:
        parts = [f"{CANDIDATE_STATUS_TITLES.get(k, k)} {v}" for k, v in counts.by_status.items()]
        ctx.say("考生状态：" + "，".join(parts))
    if counts.to_handle:
        issues = [
            f"{title} {counts.by_issue[issue]}"
            for issue, title in CANDIDATE_ISSUE_TITLES.items()
            if counts.by_issue.get(issue)
        ]
        ctx.say(f"需要处理的考生 {counts.to_handle} 人：" + "，".join(issues))
    ctx.say("")
    ctx.say("考试计划：")
    for p in status.plans:
        left = f"还剩 {p.days_left} 天" if p.days_left > 0 else "已截止"
        ctx.say(f"  {p.name}：报考截止 {p.registration_deadline:%Y-%m-%d %H:%M}（{left}）")
        if p.next_deadline and p.next_deadline.window != "registration":
            ctx.say(
                f"      下一个节点：{WINDOW_TITLES[p.next_deadline.window]}截止 "
                f"{p.next_deadline.end:%Y-%m-%d %H:%M}"
            )
    ctx.say("")
    ctx.say("各步骤：")
    for number, s in enumerate(status.steps, start=1):
        ctx.say(
            f"  {number:>2}. {STEP_TITLES[s.step]}：{STATE_TITLES[s.state]}（{render(s.figure)}）"
        )
        for problem in s.problems:
            ctx.say(f"        - {render(problem)}")
    return 0
