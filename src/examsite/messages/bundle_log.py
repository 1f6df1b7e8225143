"""Chinese text for ``bundle_log.*``: the bundle history (同步 page, ``export history``)."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("bundle_log.",)

MESSAGES: Final[dict[str, str]] = {
    "bundle_log.conflicts_open": "有 {count} 条记录两台电脑都改过，还没有选择保留哪一边，没有导入。请在同步页重新导入并逐条选择，或用 --resolve 选择。",
    "bundle_log.upload_content": "考生 {candidates} 人，报考 {registrations} 条，照片 {photos} 张；暂不上传 {held} 项",
    "bundle_log.transfer_content": "第 {sequence} 号：考生 {candidates} 人，报考 {registrations} 条，照片 {photos} 张",
    "bundle_log.merge_content": "第 {sequence} 号：新增 {added} 条，更新 {updated} 条，冲突 {conflicts} 处",
    "bundle_log.sheet_content": "{sheet}：{rows} 行，对上 {matched} 行，更新 {changed} 条",
    "bundle_log.empty": "还没有导出或导入过数据包。导出上传包、传输包或导入数据后，会在这里记下时间、文件和内容。",
}
