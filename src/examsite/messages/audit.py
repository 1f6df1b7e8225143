"""Chinese text for ``audit.*``: the audit log's check (``audit verify``) and listing."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("audit.",)

_KEEP: Final = (
    "这说明操作记录在考点助手之外被改动过（有人直接修改了数据库文件或服务器上的数据）。"
    "请保留这个数据库文件原样（不要再改动，也不要用备份覆盖它），并立即告知考点负责人。"
)

MESSAGES: Final[dict[str, str]] = {
    "audit.ok": "操作记录完整：共 {entries} 条，校验链没有断开。最后一条是第 {last_id} 条，校验值 {last_hash}（可抄下来，下次用 --anchor {last_id}:{last_hash} 核对这之前的记录没有被整体改写）。",
    "audit.empty": "操作记录还是空的，没有需要核对的内容。",
    "audit.altered": "操作记录第 {id} 条的内容与它的校验值不符：这条记录被改动过。" + _KEEP,
    "audit.unlinked": "操作记录在第 {id} 条处断开：它前面的记录被删除或被改动过。" + _KEEP,
    "audit.anchor_missing": "您给出的第 {id} 条操作记录已经不存在：操作记录被删减过。" + _KEEP,
    "audit.anchor_changed": "第 {id} 条操作记录的校验值与您记下的不同：这条记录之后的操作记录被整体改写过。"
    + _KEEP,
    "audit.bad_anchor": "--anchor 的值“{value}”不对：请写成“编号:校验值”，如 1234:3f2a…（64 位十六进制），即上次核对时显示的最后一条记录。",
    "audit.bad_date": "日期“{value}”不对：请写成 2027-01-10 这样的年-月-日。",
    "audit.bad_limit": "--limit 的值 {value} 不对：请给一个 1 到 100000 之间的整数。",
}
