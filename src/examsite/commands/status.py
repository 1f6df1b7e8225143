"""``status``: the round's progress, problems and deadlines."""

from __future__ import annotations

import argparse

from examsite.commands.context import Context, json_flag
from examsite.messages import (
    CANDIDATE_STATUS_TITLES,
    STATE_TITLES,
    STEP_TITLES,
    WINDOW_TITLES,
    render,
)
from examsite.services.status import round_status


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("status", help="本轮考试的进度、问题和截止时间")
    json_flag(parser)
    parser.set_defaults(handler=show_status)


def show_status(ctx: Context) -> int:
    status = round_status(ctx.db)
    if ctx.json:
        ctx.emit(
            {
                "candidates": status.candidates,
                "registrations": status.registrations,
                "rooms": status.rooms,
                "candidates_by_status": status.candidates_by_status,
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
                        "summary": s.summary,
                        "problems": [render(p) for p in s.problems],
                    }
                    for s in status.steps
                ],
            }
        )
        return 0
    ctx.say(
        f"考生 {status.candidates} 人，报考 {status.registrations} 条，考场 {status.rooms} 个。"
    )
    if status.candidates_by_status:
        parts = [
            f"{CANDIDATE_STATUS_TITLES.get(k, k)} {v}"
            for k, v in status.candidates_by_status.items()
        ]
        ctx.say("考生状态：" + "，".join(parts))
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
        ctx.say(f"  {number:>2}. {STEP_TITLES[s.step]}：{STATE_TITLES[s.state]}")
        for problem in s.problems:
            ctx.say(f"        - {render(problem)}")
    return 0
