"""Chinese text for ``app.*``: the program as a whole (jobs, commands, files the user picks)."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("app.",)

MESSAGES: Final[dict[str, str]] = {
    "app.cancelled": "操作已取消，未做任何更改。",
    "app.interrupted": "已中断，未做任何更改。",
    "app.internal_error": "程序内部错误，详情已写入日志：{log_file}",
    "app.database_file_exists": "文件 {file} 已经存在。要使用它，请选择“文件 → 打开数据库…”。",
    "app.demo_over_real_data": "数据库中已有考生，不能再创建演示考点。请用 --db 指定一个新的数据库文件。",
    "app.missing_component": "缺少 {component} 组件，{purpose}。请重新安装考点助手。",
}
