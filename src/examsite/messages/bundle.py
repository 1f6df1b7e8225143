"""Chinese text for ``bundle.*``: sync bundles that cannot be used, and why."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("bundle.",)

MESSAGES: Final[dict[str, str]] = {
    "bundle.unreadable": "读不了数据包 {file}：{reason}。请检查 U 盘是否插好，或把数据包复制到本机后再导入。",
    "bundle.damaged": "数据包 {file} 已损坏（不是完整的 zip 文件，可能复制时 U 盘被拔出）。请在原电脑上重新导出。",
    "bundle.no_manifest": "{file} 里没有 manifest.json，不是考点助手的数据包。请选择考点助手导出的数据包。",
    "bundle.not_a_bundle": "{file} 不是考点助手的数据包。请选择考点助手导出的数据包。",
    "bundle.unknown_version": "数据包 {file} 的格式版本是 {version}，本程序只认识版本 {known}。请把两台电脑上的考点助手升级到同一版本后再导出。",
    "bundle.bad_manifest": "数据包 {file} 的清单（manifest.json）内容不完整。请在原电脑上重新导出。",
    "bundle.file_missing": "数据包 {file} 缺少文件 {path}。请在原电脑上重新导出。",
    "bundle.file_altered": "数据包 {file} 中的 {path} 与清单记录的大小或校验值不符（文件被改动或损坏）。请在原电脑上重新导出。",
    "bundle.file_unlisted": "数据包 {file} 中有清单没有列出的文件 {path}（数据包被改动过）。请在原电脑上重新导出。",
    # --- the platform's upload package (export platform) ---
    "bundle.platform_nothing_ready": "考试计划 {plan} 还没有可以上传的考生或报考：先补全考生信息和照片、完成报考后再导出。",
    "bundle.platform_refused": "上传包检查发现 {count} 个问题，没有写出任何文件。请按下面的说明改正后再导出。",
    "bundle.platform_out_not_zip": "{path} 不是文件夹，也不是 .zip 文件名。请选择一个文件夹（U 盘），或给出以 .zip 结尾的文件名。",
    "bundle.platform_out_folder_missing": "文件夹 {folder} 不存在。请先插好 U 盘或建好文件夹。",
    "bundle.held_no_photo": "没有合格的照片：请在“照片”页导入或更换照片。",
    "bundle.held_photo_review": "照片需要人工复核：请在“照片”页确认后再上传。",
    "bundle.held_photo_size": "照片不是 295×413 像素：请在“照片”页重新导入或修复。",
    "bundle.held_incomplete": "信息不全：请在“考生”页补全必填项。",
    "bundle.held_candidate": "考生本人暂不上传（缺照片或信息不全），报考随考生一起暂缓。",
    "bundle.held_short_records": "科目报考记录不全：请在“报考”页补齐理论和实操科目。",
    "bundle.held_no_rooms": "本计划还没有考场：请在“考场”页设置考场。",
    "bundle.held_no_invigilators": "本计划还没有安排监考：请在“监考”页分配监考员。",
    "bundle.check_unreadable": "上传包中的 {file} 无法读回（表格文件已损坏）。这是程序错误，请把日志发给维护人员。",
    "bundle.check_formula": "上传包中的 {file} 含有公式，平台导入时会出错。这是程序错误，请把日志发给维护人员。",
    "bundle.check_header": "上传包中的 {file} 表头与平台模板不一致：应为“{expected}”，实际为“{found}”。这是程序错误，请把日志发给维护人员。",
    "bundle.check_id_not_text": "{file} 第 {line} 行的证件号码为空或不是文本格式。请在“考生”页检查该考生的证件号码。",
    "bundle.check_id_form": "{file} 第 {line} 行的证件号码 {id} 不是 18 位（末位 X 须大写）。请在“考生”页改正。",
    "bundle.check_unquoted": "{file} 的单元格 {cell} 以 = + - @ 开头，表格软件会把它当作公式运行。这是程序错误，请把日志发给维护人员。",
    "bundle.check_duplicate_candidate": "证件号码 {id} 在考生信息表中出现了 {count} 次。请在“考生”页检查是否重复。",
    "bundle.check_photo_unknown": "照片压缩包中的 {file} 不对应考生信息表中的任何证件号码。",
    "bundle.check_photo_missing": "证件号码 {id} 的考生在考生信息表中，却没有照片。请在“照片”页补齐。",
    "bundle.check_photo_size": "证件号码 {id} 的照片是 {found}，平台要求 295×413 像素。请在“照片”页重新导入或修复。",
    "bundle.check_duplicate_registration": "证件号码 {id} 报考证书 {certificate} 在报考表中出现了两次。",
    "bundle.check_registration_unknown": "报考表中证件号码 {id} 的考生不在考生信息表中。",
    "bundle.check_records": "证件号码 {id} 报考证书 {certificate} 只有 {have} 条科目记录，应有 {expected} 条。请在“报考”页补齐。",
}
