"""Chinese messages for the problem codes of the candidate rules (id_number, normalize, pinyin).

Templates use ``str.format`` with the problem's params. Each says what is wrong and what to
do, for a school coordinator. Registered in ``examsite.messages``.
"""

from __future__ import annotations

from typing import Final

PREFIXES: Final = (
    "candidate.",
    "id.",
    "id_type.",
    "name.",
    "pinyin.",
    "gender.",
    "phone.",
    "year.",
    "extra.",
)

MESSAGES: Final[dict[str, str]] = {
    # 证件号码 (id_number)
    "id.empty": "证件号码为空。请填写考生的证件号码。",
    "id.old_15_digits": (
        "这是旧的15位身份证号码，平台只接受18位号码。请按考生现在使用的身份证填写18位号码。"
    ),
    "id.wrong_length": (
        "身份证号码应为18位，这里是{length}位。请对照身份证原件检查是否多填或漏填了数字。"
    ),
    "id.not_digits": (
        "身份证号码前17位只能是数字，最后一位只能是数字或字母X，这里出现了“{chars}”。"
        "请对照身份证原件重新填写。"
    ),
    "id.unknown_region": (
        "身份证号码前两位“{prefix}”不是内地省份的代码。请对照身份证原件核对号码的前6位。"
    ),
    "id.unknown_prefecture": (
        "身份证号码前四位“{prefecture}”不是{province}任何地市的代码（已撤销的旧代码也算在内），"
        "号码可能填错了。请对照身份证原件核对号码的前6位。"
    ),
    "id.permit_number_as_resident": (
        "号码以“{region}”开头，这是港澳台居民居住证的号码。请把证件类型改为“港澳台居民居住证”；"
        "如果确实是居民身份证，请对照原件重新填写号码。"
    ),
    "id.resident_number_as_permit": (
        "证件类型是港澳台居民居住证，但号码开头“{region}”是内地居民身份证的地区码。"
        "请把证件类型改为“居民身份证”，或对照居住证原件重新填写号码。"
    ),
    "id.unknown_permit_region": (
        "港澳台居民居住证号码应以810000（香港）、820000（澳门）或830000（台湾）开头，"
        "这里是“{region}”。请对照居住证原件重新填写。"
    ),
    "id.bad_birth_date": (
        "证件号码第7至14位是出生日期，“{text}”不是真实存在的日期。请对照证件原件核对号码。"
    ),
    "id.birth_in_future": (
        "证件号码中的出生日期 {birth} 晚于今天。请对照证件原件核对号码；"
        "如果号码无误，请检查这台电脑的日期设置。"
    ),
    "id.birth_before_1900": (
        "证件号码中的出生日期 {birth} 早于1900年，不可能是考生的号码。请对照证件原件核对。"
    ),
    "id.bad_check_digit": (
        "证件号码校验位不正确（最后一位应为 {expected}，现为 {actual}），说明号码中有数字填错。"
        "请核对身份证原件后重新填写整个号码，不要只改最后一位。"
    ),
    "id.excel_number": (
        "证件号码被 Excel 当成了数字，后几位已经丢失，无法恢复。"
        "请把该列的单元格格式设置为“文本”，再重新输入或粘贴证件号码。"
    ),
    "id.stored_as_number": (
        "证件号码以数字格式保存，目前位数完整，但用 Excel 再次保存时后几位会丢失。"
        "建议把该列的单元格格式设置为“文本”。"
    ),
    "id.gender_mismatch": (
        "性别填写为“{given}”，但身份证号码第17位表示“{expected}”。请对照身份证原件核对："
        "号码无误就把性别改为“{expected}”，否则更正号码。"
    ),
    "id.other_bad_chars": (
        "{id_type}号码只能包含字母和数字，这里出现了“{chars}”。请对照证件原件重新填写。"
    ),
    "id.other_wrong_length": (
        "{id_type}号码一般为{min}至{max}位，这里是{length}位。请对照证件原件检查是否多填或漏填。"
    ),
    "id.hk_macau_permit_unusual": (
        "港澳居民来往内地通行证号码通常是字母H（香港）或M（澳门）加8位数字，"
        "这个号码的格式不同。请对照证件原件再核对一遍。"
    ),
    "id.taiwan_permit_unusual": (
        "台湾居民来往大陆通行证号码通常是8位数字，这个号码的格式不同。请对照证件原件再核对一遍。"
    ),
    "id_type.unknown": "证件类型“{text}”无法识别。请从以下类型中选择：{choices}。",
    # 姓名 (normalize.clean_name)
    "name.bad_chars": (
        "姓名“{name}”中有不应出现的字符“{chars}”。请只填写证件上的姓名，不要加数字、括号或备注。"
    ),
    "name.too_short": "姓名“{name}”只有一个字，可能漏填了名字。请对照证件原件核对。",
    # 手机号码 (normalize.clean_phone)
    "phone.bad_chars": ("手机号码“{text}”中有不应出现的字符“{chars}”。请只填写11位手机号码。"),
    "phone.excel_number": (
        "手机号码被 Excel 显示成了科学计数法（{text}），数字可能已经丢失。"
        "请把该列的单元格格式设置为“文本”，再重新输入手机号码。"
    ),
    "phone.wrong_length": (
        "手机号码“{text}”有{length}位数字，手机号码应为11位。请向考生核实后重新填写。"
    ),
    "phone.not_mobile": (
        "“{text}”不是内地手机号码（应为1开头、第二位是3至9的11位数字），不能使用固定电话。"
        "请填写考生本人的手机号码。"
    ),
    # 入学年份 (normalize.parse_enrollment_year)
    "year.bad_format": "入学年份“{text}”无法识别。请填写四位数的年份，例如 2020。",
    "year.out_of_range": (
        "入学年份 {year} 不在 {min} 年至 {max} 年之间。请核对后重新填写四位数的年份。"
    ),
    # 性别 (normalize.parse_gender)
    "gender.unknown": "性别“{text}”无法识别。请填写“男”或“女”。",
    # 姓名拼音 (pinyin)
    "pinyin.unreadable": (
        "姓名“{name}”中的“{chars}”无法自动转换为拼音，自动生成的拼音为“{pinyin}”。"
        "请手工补全姓名拼音。"
    ),
    # one candidate's values (import and edit form)
    "candidate.changed_elsewhere": "考生 {name}（证件号码 {id_number}）已在其他电脑上被修改（{changes}），本次没有保存，以免覆盖那边的修改。请刷新后重新打开该考生再改。",
    "candidate.deleted_elsewhere": "考生 {name}（证件号码 {id_number}）已在其他电脑上被删除，本次没有保存。请刷新考生列表；如仍需要该考生，请重新添加。",
    "candidate.name_missing": "学生姓名为空，本行未导入。请填写与证件一致的姓名。",
    "candidate.id_missing": "证件号码为空，本行未导入。请填写考生的证件号码。",
    "candidate.too_long": "内容过长（最多 {max} 个字），请删减后重新填写。",
    "candidate.id_type_default": "证件类型为空，已按“{id_type}”处理。",
    "candidate.gender_filled": "性别为空，已按身份证号填写为“{gender}”。",
    "candidate.gender_replaced": (
        "性别“{text}”无法识别，已按身份证号填写为“{gender}”。请在表格中改为“男”或“女”。"
    ),
    "candidate.pinyin_filled": "姓名拼音为空，已按姓名生成“{pinyin}”。遇到多音字请核对并修改。",
    "candidate.pinyin_bad_chars": (
        "姓名拼音“{text}”中有不应出现的字符“{chars}”。拼音只能用英文字母，姓与名之间空一格，"
        "如“Wang Yuxia”；也可以留空由程序生成。"
    ),
    "candidate.pinyin_replaced": (
        "姓名拼音“{text}”不是有效的拼音（只能用英文字母，姓与名之间空一格，不超过 100 个字符），"
        "已按姓名重新生成为“{pinyin}”。遇到多音字请核对并修改。"
    ),
    "candidate.education_level_unknown": "专业层次“{text}”无法识别。请从下拉列表选择：{choices}。",
    "candidate.major_code_bad": (
        "专业代码“{text}”格式不对。请填写专业目录中的代码（数字，如 530605），"
        "并把该列设为文本格式以保留开头的 0。"
    ),
    "candidate.exists": "证件号码 {id_number} 已被考生“{name}”使用，不能重复添加。",
    "candidate.not_found": "找不到证件号码为 {id_number} 的考生，可能已被删除。",
    "candidate.locked": (
        "考生信息已经平台认证（信息准确），{field}不能再修改。如确需修改，请联系培训评价组织。"
    ),
    "candidate.has_registrations": (
        "考生“{name}”已有 {count} 条报考记录，不能删除。请先在“报考”页删除其报考记录。"
    ),
    "candidate.form_invalid": "考生信息有误，请按提示修改标红的项目后再保存。",
}
