"""Chinese messages for the candidate import and the candidate edit services.

``import.*``: the sheet as a whole and its rows (one candidate's values are
``messages.candidate``). Each says what is wrong and how to fix it,
for the class teacher who filled the sheet. Registered in ``examsite.messages``.
"""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("import.",)

MESSAGES: Final[dict[str, str]] = {
    # the file as a whole (the import is refused, nothing is written)
    "import.report_overwrites_source": "错误说明表不能覆盖原表格 {file}，请另选一个文件名。",
    "import.unsupported_type": (
        "不支持“{suffix}”格式的文件（{file}）。请在 Excel 中“另存为”Excel 工作簿（.xlsx）"
        "或 CSV 后再导入。"
    ),
    "import.file_not_found": "找不到文件：{file}。请检查文件是否已被移动或删除。",
    "import.file_locked": "无法读取文件 {file}：没有权限或文件正被其他程序占用。请关闭 Excel 后重试。",
    "import.file_empty": "文件 {file} 是空的（0 字节），可能没有保存成功。请重新保存后再导入。",
    "import.file_too_large": (
        "文件 {file} 过大（超过 {mb} MB），不像是考生名单。请只保留考生信息的工作表后再导入。"
    ),
    "import.not_excel": (
        "文件 {file} 不是 Excel 或 CSV 表格（可能只是改了扩展名）。请用 Excel 打开原始表格，"
        "“另存为”Excel 工作簿（.xlsx）后再导入。"
    ),
    "import.html_as_excel": (
        "文件 {file} 其实是网页格式（常见于从网站导出的“xls”）。请用 Excel 打开它，"
        "“另存为”Excel 工作簿（.xlsx）后再导入。"
    ),
    "import.word_document": (
        "文件 {file} 是 Word 文档，只是扩展名改成了表格的。请把考生信息填到考生导入模板"
        "（Excel）中再导入。"
    ),
    "import.other_document": (
        "文件 {file} 不是 Excel 工作簿（可能是演示文稿或 WPS/OpenOffice 文档改了扩展名）。"
        "请“另存为”Excel 工作簿（.xlsx）后再导入。"
    ),
    "import.zip_not_workbook": (
        "文件 {file} 是一个压缩包，不是 Excel 工作簿。照片压缩包请在“照片”页导入；"
        "考生名单请选择 Excel 文件。"
    ),
    "import.password_protected": (
        "文件 {file} 设置了打开密码，无法读取。请在 Excel 中打开它，在“文件-信息-保护工作簿”"
        "中删除密码并保存，然后再导入。"
    ),
    "import.damaged": (
        "文件 {file} 已损坏或格式不正确，无法读取。请用 Excel 打开并重新保存为 .xlsx 后再导入。"
    ),
    "import.csv_encoding": (
        "无法识别 CSV 文件 {file} 的文字编码。请在 Excel 中“另存为”Excel 工作簿（.xlsx），"
        "或另存为“CSV UTF-8”后再导入。"
    ),
    "import.too_many_rows": (
        "文件 {file} 超过 {max} 行，一次最多导入 {max} 名考生。请把名单拆成几个文件分别导入。"
    ),
    "import.no_header": (
        "在文件 {file} 的前 20 行中找不到表头。请使用考生导入模板，表头需包含：{headers}。"
    ),
    "import.missing_columns": (
        "文件 {file} 缺少必填列：{columns}。请在表头中加上这些列并填写后重新导入"
        "（可先导出空白模板对照）。"
    ),
    "import.unknown_kind": "考生类型“{kind}”无效，只能是 school（院校考生）或 social（社会考生）。",
    "import.cannot_write": "无法写入文件 {file}：{reason}。已有的文件没有被改动；处理后请重试，或另选保存位置。",
    "import.no_rows": "表头下面没有考生信息，没有导入任何考生。",
    "import.cannot_read": "无法读取文件 {file}：{reason}。",
    "import.formula_not_saved": (
        "文件 {file} 中以下列是公式，但文件里没有保存公式的计算结果（用某些程序生成或转换的"
        "表格会这样）：{columns}。请用 Excel 或 WPS 打开这个文件，保存一次后重新导入；"
        "或者选中这些列，复制后“选择性粘贴 - 数值”，再保存导入。"
    ),
    # --report: the error report's file, checked before anything is imported
    "import.report_folder_missing": (
        "错误说明表要保存到的文件夹不存在：{folder}。请先建好这个文件夹，或另选保存位置。"
    ),
    "import.report_is_folder": (
        "错误说明表的保存位置 {file} 是一个文件夹，请写上文件名，如 {file}/错误说明.xlsx。"
    ),
    "import.report_wrong_type": (
        "错误说明表只能保存为 Excel 工作簿（.xlsx），“{file}”不是。请把文件名改为以 .xlsx 结尾。"
    ),
    "import.report_not_writable": (
        "无法在 {file} 保存错误说明表：{reason}。请另选保存位置，或关闭正在打开它的程序后重试。"
        "本次没有导入任何考生。"
    ),
    "import.report_failed_after_import": (
        "考生已导入（见上面的结果），请不要重复导入；只是错误说明表没有写成：{reason}。"
        "各行的问题已在上面列出（加 --json 可看到全部）。"
    ),
    "import.report_failed_after_check": (
        "检查已完成（试运行，没有写入数据库），但错误说明表没有写成：{reason}。"
    ),
    # notices about the header row
    "import.ignored_columns": "以下列不属于考生模板，已忽略：{columns}。",
    "import.duplicate_column": "“{header}”列与前面的列重复，只读取了前面那一列。请删除多余的列。",
    "import.derived_columns": (
        "表中没有“{columns}”列，将由程序自动填写（拼音按姓名生成，性别按身份证号判断，"
        "证件类型默认为身份证），请导入后核对。"
    ),
    # one row
    "import.duplicate_in_file": (
        "证件号码与第 {other_row} 行重复，同一名考生只能出现一次。两行都未导入，"
        "请删除重复的一行后重新导入。"
    ),
    "import.same_row_twice": (
        "与第 {other_row} 行是同一名考生，内容完全相同，只导入了一次（第 {other_row} 行）。"
        "可以删除重复的这一行。"
    ),
    "import.cell_too_long": (
        "这一格有 {length} 个字符，太长了（最多 {max} 个），本行未导入。请检查是否把大段文字"
        "或其他内容粘贴进了这个单元格，改正后重新导入。"
    ),
    "import.exists": (
        "该证件号码的考生（{name}）已在考生名单中，本行未导入。如需用表中信息更新该考生，"
        "请勾选“更新已有考生”（命令行加 --update）后重新导入。"
    ),
    "import.locked_field": (
        "考生信息已经平台认证（信息准确），{field}不能再修改，保留原来的“{kept}”"
        "（表中为“{given}”）。如确需修改，请联系培训评价组织。"
    ),
    "import.kind_changed": "该考生原来属于另一类考生，已按本次导入改为当前类型。",
    "import.incomplete": (
        "缺少：{fields}。考生已导入，但信息不全，上传平台前请在“考生”页或表格中补全。"
    ),
}
