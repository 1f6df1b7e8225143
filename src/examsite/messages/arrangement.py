"""Chinese text for ``arrange.*``: the arrangement (排考), its late changes and the import
of the platform's official arrangement (排考明细)."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("arrange.",)

MESSAGES: Final[dict[str, str]] = {
    # the run
    "arrange.seat_changed_elsewhere": "考生 {name}（{id_number}）{subject}的考位已在其他电脑上被改动：页面显示在 {room} {seat} 号，现在是 {now_room} {now_seat} 号。本次调整没有保存，以免覆盖那边的改动；请刷新后再调整。",
    "arrange.seat_freed_elsewhere": "考生 {name}（{id_number}）{subject}的考位已在其他电脑上被释放（页面显示在 {room} {seat} 号，现在没有考位）。本次调整没有保存；请刷新后再调整。",
    "arrange.unknown_strategy": "没有“{strategy}”这种排考方式，可用：{known}。",
    "arrange.seats_short": "考位不够：{sessions} 个场次共有 {count} 条科目报考记录排不上考位，本次没有写入任何考位。请按下面各场次的说明增加考场或考位后重新排考。",
    "arrange.session_short": "{subject}（{start} 开考）还有 {count} 名考生没有考位（该科目共 {rooms} 个考场场次）。请在“考场”页增加考场或调大考位数后重新排考。",
    "arrange.session_without_rooms": "{subject}（{start} 开考）还没有考场，{count} 名考生没有考位。请在“考场”页为这个证书设置考场后重新排考。",
    "arrange.plan_closed": "考试计划“{plan}”的考试已于 {end} 结束，考位和准考证号不能再更改（排考结果作为考试记录保留）。",
    # the late changes
    "arrange.candidate_not_registered": "证件号码为 {id_number} 的考生没有报考计划 {plan}。请核对证件号码，或先在“报考”页为其报考。",
    "arrange.session_not_found": "这个考试计划没有编号为 {uid} 的场次。请用“sessions list --plan”查看场次编号。",
    "arrange.not_in_session": "考生 {id_number} 没有报考“{subject}”，不在这个场次。请选择其报考科目的场次。",
    "arrange.is_withdrawn": "考生 {id_number} 已退出排考。如要恢复，请先用“arrange seat”重新为其安排考位。",
    "arrange.already_seated": "考生 {id_number} 的每个科目都已有考位，无需补排。要换考场请用“arrange move”。",
    "arrange.already_withdrawn": "考生 {id_number} 已退出排考，没有可以释放的考位。",
    "arrange.not_seated": "考生 {id_number} 在这个场次还没有考位，不能交换。请先用“arrange seat”安排考位。",
    "arrange.swap_same": "交换考位需要两名不同的考生，{id_number} 写了两次。",
    "arrange.room_not_found": "这个考试计划没有名为“{room}”的考场。请核对考场名称（见“考场”页）。",
    "arrange.room_other_certificate": "考场“{room}”属于另一个证书，考生 {id_number} 不能排到这里。请选择其报考证书的考场。",
    "arrange.room_full": "考场“{room}”的 {capacity} 个考位已经排满。请选择其他考场，或先调大考位数。",
    "arrange.seat_out_of_range": "座位号 {seat} 不在考场“{room}”的考位范围 1～{capacity} 内。请重新选择座位号。",
    "arrange.seat_taken": "考场“{room}”的 {seat} 号座位已有考生（{holder}）。请选择空座位，或用“交换”与其对调。",
    # the step's status
    "arrange.status_over_capacity": "{count} 个考场的考生超过了考试容量（{rooms}），请调整座位或调大考场容量。",
    "arrange.status_withdrawn": "{count} 条科目报考记录已退出排考（报考仍保留）。",
    "arrange.figure_seated": "已排 {seated}/{total} 个考位",
    # the platform's official arrangement
    "arrange.import_refused": "官方排考明细 {file} 有 {count} 处问题，没有导入任何内容。请按逐行说明修改表格后重新导入。",
    "arrange.import_no_rows": "表格 {file} 的表头下面没有数据行。请确认导出的是“排考明细”。",
    "arrange.import_missing_value": "这一列是空的。请补上后重新导入。",
    "arrange.import_unknown_candidate": "证件号码 {id_number} 不是本站点的考生。请核对证件号码，或先导入该考生。",
    "arrange.import_not_registered": "考生 {id_number} 没有报考这个考试计划的“{subject}”。请核对考试计划或先为其报考。",
    "arrange.import_ambiguous": "考生 {id_number} 在几个考试计划中都报考了“{subject}”。请用 --plan 指定考试计划后重新导入。",
    "arrange.import_unknown_room": "考场“{room}”不是该考生报考证书的考场。请先在“考场”页建立同名考场（或导入平台的考场表）。",
    "arrange.import_bad_seat": "座位号“{seat}”不对：应为 1 到 {limit} 之间的整数。请填写考场里的座位号。",
    "arrange.import_bad_ticket": "准考证号“{ticket}”有 {length} 位，超过准考证号的最多 {limit} 位。请核对这一行是否把别的内容填进了准考证号列。",
    "arrange.import_seat_twice": "这一行和第 {other} 行把两名考生排在同一场次、同一考场的 {seat} 号座位。请核对后重新导入。",
    "arrange.import_ticket_twice": "准考证号 {ticket} 已在第 {other} 行给了另一名考生。请核对后重新导入。",
    "arrange.import_ticket_differs": "考生 {id_number} 的准考证号 {ticket} 与第 {other} 行的 {first} 不同；同一报考的理论与实操准考证号应相同。",
    "arrange.import_ticket_held": "准考证号 {ticket} 已属于考生 {holder} 的官方排考。请核对后重新导入。",
    "arrange.import_over_capacity": "座位号 {seat} 超出考场“{room}”的考试容量 {capacity}，已按官方排考导入，请核对考场容量。",
    "arrange.import_displaced": "{count} 名考生原先的考位被官方排考占用，已为其另排考位。",
    "arrange.import_left_unseated": "{count} 条科目报考记录的考位被官方排考占用，且没有空余考位可以另排，请增加考位后重新排考。",
}
