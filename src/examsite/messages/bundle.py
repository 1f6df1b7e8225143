"""Chinese text for ``bundle.*``: sync bundles that cannot be used, and why."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("bundle.",)

MESSAGES: Final[dict[str, str]] = {
    "bundle.unreadable": "读不了数据包 {file}：{reason}。请检查 U 盘是否插好，或把数据包复制到本机后再导入。",
    "bundle.write_check_failed": "写好的数据包 {file} 读回检查时与要写入的内容不一致（U 盘或磁盘可能有问题），没有保存。请换一个 U 盘或文件夹再导出一次。",
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

# --- transfer between PCs (site-transfer bundles): signature, pairing, merge -----------
MESSAGES.update(
    {
        "bundle.transfer_wrong_kind": "{file} 是“{kind}”数据包，不是换机传输包。请选择用“导出换机传输包”生成的文件。",
        "bundle.transfer_unsigned": "传输包 {file} 没有签名或签名信息不完整，不能确认来自哪个考点。请在原电脑上用考点助手重新导出。",
        "bundle.transfer_bad_signature": "传输包 {file} 的签名不符（内容在导出后被改动过，或被重新计算过校验值）。请不要导入它，请在原电脑上重新导出。",
        "bundle.transfer_untrusted": "传输包 {file} 来自“{site}”的另一把密钥（指纹 {fingerprint}），本机只信任已配对的考点。如确认来源可靠，请用 --pair 重新导入一次以配对。",
        "bundle.transfer_other_site": "传输包 {file} 属于考点“{site}”，本机数据库是考点“{mine}”。不同考点的数据不能合并。",
        "bundle.transfer_replayed": "传输包 {file} 的序号是 {sequence}，本机已导入过该考点序号 {last} 的传输包，这是一个旧的包。请在原电脑上重新导出最新的传输包。",
        "bundle.transfer_unknown_catalog": "传输包 {file} 用到本机目录中没有的{what}“{key}”。请先在本机导入同样的证书目录后再导入。",
        "bundle.transfer_missing_record": "传输包 {file} 中一条{entity}记录指向的{target}（{key}）既不在传输包里，也不在本机。传输包没有导入，本机数据没有改动；请在原电脑上重新导出整个考点后再导入。",
        "bundle.transfer_bad_value": "传输包 {file} 中一条{entity}记录的 {field} 不对（{value}）：类型或长度不是这一项应有的。传输包没有导入，本机数据没有改动；请在原电脑上核对这条记录后重新导出。",
        "bundle.transfer_bad_data": "传输包 {file} 的数据内容不完整（{detail}）。请在原电脑上重新导出。",
        "bundle.transfer_bad_resolution": "冲突“{key}”的处理方式只能是 mine（保留本机）或 theirs（采用传输包）。",
        "bundle.transfer_no_site": "本机数据库还没有考点，无法导出传输包。请先设置考点。",
        "bundle.transfer_unknown_plan": "没有编号为 {plan} 的考试计划。请检查计划编号。",
        "bundle.transfer_clash": "传输包 {file} 与本机数据相互冲突，无法合并（{detail}），本机数据没有改动。请先在两台电脑中的一台上重新排座或改正冲突的数据，再导出导入。",
        "bundle.transfer_delete_in_use": "传输包中已删除{what}“{label}”，但本机还有 {count} 处{uses}用到它，本机暂时保留。如确需删除，请先在本机处理这些{uses}，再导入下一个传输包。",
        "bundle.transfer_key_unreadable": "读不了本考点的签名密钥 {path}：{reason}。请检查数据文件夹的权限。",
    }
)
