"""Chinese text for the photo check's problem codes and the photo source's ignore reasons.

Each template is ``str.format``-ed with the problem's params and says what is wrong and
what to do.
"""

from __future__ import annotations

from typing import Final

_FIX_HINT = "可用“自动修复”处理"
_RED_AGAIN = "（用证件照软件制作的，选“红底”重新生成）"
_ZIP_HINT = (
    "平台要求 .zip 格式：请把照片重新打包为 zip（Windows 里选中照片，右键“发送到 → "
    "压缩(zipped)文件夹”），或直接选择照片所在的文件夹。"
)

PREFIXES: Final = ("photo.", "photo_source.", "photos.")

MESSAGES: Final[dict[str, str]] = {
    # --- photo check: rejected, no automatic fix ---
    "photo.empty": (
        "照片文件是空的（0 字节），或在压缩包里已损坏、读不出来。请重新导出这张照片后再导入。"
    ),
    "photo.not_image": (
        "文件内容不是图片（可能是改了扩展名的其他文件，或已损坏）。请换成 jpg 或 png 格式的证件照。"
    ),
    "photo.wrong_format": (
        "文件名像照片，但内容实际是 {actual} 格式，平台只接受 jpg、png。"
        "请用看图软件或“画图”打开后“另存为”JPG，再重新导入。"
    ),
    "photo.damaged": (
        "照片文件已损坏或不完整（可能没有下载、拷贝完整），无法打开。请重新拍摄或重新导出这张照片。"
    ),
    "photo.too_many_pixels": (
        "照片像素过多（超过 {max_megapixels} 百万像素），不是证件照，也可能是损坏或恶意构造的"
        "文件，为保护电脑已拒绝读取。请重新导出 295×413 像素的证件照。"
    ),
    "photo.too_large_to_process": (
        "照片文件超过 {max_mb} MB，太大无法处理。"
        "请先用看图软件缩小，或重新导出 295×413 像素的证件照。"
    ),
    "photo.grayscale": (
        "照片是黑白（灰度）的，平台要求彩色照片，无法自动变成彩色。请用彩色原片重新导出。"
    ),
    "photo.landscape": (
        "照片是横版的（{width}×{height} 像素），证件照必须是竖版，程序不会自动裁剪或旋转。"
        "请在红色背景前竖着重新拍照，或用修图软件裁成竖版 295×413 后再导入。"
    ),
    "photo.wrong_shape": (
        "照片比例不对（{width}×{height} 像素），不是小一寸的宽:高 = 295:413；"
        "直接缩放会把人拉变形，裁剪又可能裁掉头部，所以不自动处理。"
        "请在红色背景前重新拍照，或用修图软件按 295:413 裁剪后再导入。"
    ),
    "photo.too_small": (
        "照片太小（{width}×{height} 像素），放大到 295×413 会模糊。"
        "请用原片重新导出 295×413 像素的照片。"
    ),
    # (the background: each colour named, each with what to do)
    "photo.background_blue": (
        f"照片是蓝底，平台要求红底。背景颜色不能自动修改，请在红色背景前重新拍照{_RED_AGAIN}。"
    ),
    "photo.background_blue_white": (
        "照片背景是蓝色渐变到白色（证件照软件常见的蓝底渐变），不是红底，平台要求红底。"
        f"背景颜色不能自动修改，请在红色背景前重新拍照{_RED_AGAIN}。"
    ),
    "photo.background_white": (
        "照片是白底（或透明背景铺成了白色），平台要求红底。"
        f"背景颜色不能自动修改，请在红色背景前重新拍照{_RED_AGAIN}。"
    ),
    "photo.background_grey": (
        f"照片是灰底，平台要求红底。背景颜色不能自动修改，请在红色背景前重新拍照{_RED_AGAIN}。"
    ),
    "photo.background_dark": (
        "照片背景是黑色或很暗，看不到红色，平台要求红底。"
        f"背景颜色不能自动修改，请在光线充足的红色背景前重新拍照{_RED_AGAIN}。"
    ),
    "photo.background_yellow": (
        f"照片背景是黄色，平台要求红底。背景颜色不能自动修改，请在红色背景前重新拍照{_RED_AGAIN}。"
    ),
    "photo.background_green": (
        f"照片背景是绿色，平台要求红底。背景颜色不能自动修改，请在红色背景前重新拍照{_RED_AGAIN}。"
    ),
    "photo.background_purple": (
        f"照片背景是紫色，平台要求红底。背景颜色不能自动修改，请在红色背景前重新拍照{_RED_AGAIN}。"
    ),
    "photo.background_not_red": (
        "照片边缘看不到红色背景（颜色杂乱，或人像、衣服占满了照片边缘），平台要求红底，"
        f"头顶和两侧要留出背景。请在红色背景前重新拍照{_RED_AGAIN}。"
    ),
    # --- photo check: rejected, but an automatic fix exists ---
    "photo.exif_rotated": (
        "照片是“躺着”保存的（只靠拍摄方向标记在手机上显示为正），平台会显示成歪的。"
        f"{_FIX_HINT}（按方向标记转正）。"
    ),
    "photo.cmyk": (
        f"照片是印刷用的 CMYK 颜色模式，网页上可能显示不出或偏色。{_FIX_HINT}（转为 RGB）。"
    ),
    "photo.transparent": (
        "照片有透明部分，平台显示时透明处的颜色不确定。"
        f"{_FIX_HINT}（透明处铺成白色；若透明的是背景，之后还需换成红底照片）。"
    ),
    "photo.wrong_pixels": (
        "照片是 {width}×{height} 像素，平台要求正好 295×413。照片比例正确，"
        f"{_FIX_HINT}（等比缩放到 295×413）。"
    ),
    "photo.too_large": (
        f"照片文件 {{size_mb}} MB，超过平台 {{max_mb}} MB 的上限。{_FIX_HINT}（重新压缩）。"
    ),
    # --- photo check: held for a person to look at (需复核) ---
    "photo.background_unclear": (
        "背景不是标准的红色（偏粉、偏暗红或偏橙，或夹杂其他颜色），需要人工复核："
        "请打开照片看一眼，确是红底可以使用，否则请在红色背景前重新拍照。"
    ),
    # --- photo check: what the automatic fix did ---
    "photo.fixed_rotated": "已按拍摄方向标记把照片转正。",
    "photo.fixed_cmyk": "已把 CMYK 颜色转换为 RGB。",
    "photo.fixed_transparent": "已把照片的透明部分铺成白色。",
    "photo.fixed_resized": "已把照片从 {width}×{height} 等比缩放为 295×413 像素。",
    "photo.fixed_recompressed": "原文件 {size_mb} MB 超过上限，已重新压缩为 {new_kb} KB。",
    # --- photo source: files that are not taken as photos ---
    "photo_source.system_file": (
        "系统自动生成的文件（如 __MACOSX、Thumbs.db、.DS_Store），不是照片，已忽略。"
    ),
    "photo_source.directory": "文件夹，已忽略（其中的照片照常读取）。",
    "photo_source.not_image": "不是照片文件（扩展名不是 jpg、png 等图片格式），已忽略。",
    "photo_source.encrypted": (
        "这张照片在压缩包里设了密码，无法读取，已跳过。请解压后不设密码重新打包，再导入。"
    ),
    "photo_source.unsupported_compression": (
        "这张照片用了不常见的压缩方式，无法读取，已跳过。"
        "请用 Windows 自带的“发送到 → 压缩(zipped)文件夹”重新打包。"
    ),
    "photo_source.link_outside": (
        "这是指向所选文件夹以外的快捷链接，为安全起见已跳过。请把照片本身复制进来。"
    ),
    "photo_source.link_folder": "这是文件夹链接（或重复的文件夹），未进入，已跳过。",
    # --- storing photos in the database ---
    "photos.duplicate_in_source": "同一个证件号码 {id_number} 有多张照片，只使用了第一张。请删除多余的照片，只保留一张后重新导入。",
    "photos.locked_verified": "考生 {name} 的信息已在平台上认证为“信息准确”，照片已锁定，不能再更换。如确需更换，请在平台上办理。",
    "photos.kept_previous": "这张照片不合格，已保留该考生原有的合格照片。",
    # --- the zip or folder refused as a whole ---
    "photos.source_not_found": "找不到“{path}”。请重新选择照片压缩包（.zip）或照片文件夹。",
    "photos.source_unreadable": "无法打开“{file}”：{reason}。请确认文件没有被其他程序占用后重试。",
    "photos.zip_too_big": (
        "压缩包“{file}”解压后共 {gigabytes} GB，超过 {limit} GB 的上限，不像是照片压缩包。"
        "请只打包 295×413 的证件照（每张一般不到 100 KB），或分成几个压缩包导入。"
    ),
    "photos.zip_bomb": (
        "压缩包“{file}”里的“{member}”压缩前 {megabytes} MB、压缩后只有 {packed} 字节，"
        "是“压缩炸弹”一类的异常文件，为保护电脑已拒绝读取。"
        "请向照片提供方重新索取压缩包，或直接选择照片所在的文件夹。"
    ),
    "photos.zip_overlapping": (
        "压缩包“{file}”的结构异常：有文件在包里互相重叠（“{member}”），可能是损坏或恶意构造的"
        "压缩包，已拒绝读取。请用系统自带的“发送到 → 压缩(zipped)文件夹”重新打包后再导入。"
    ),
    "photos.zip_too_many": (
        "压缩包“{file}”里有 {count} 个文件，超过 {limit} 个的上限，不像是一个考点的照片压缩包。"
        "请只打包考生照片，或分成几个压缩包导入。"
    ),
    "photos.source_is_rar": ("无法读取“{file}”：这是 RAR 压缩包，不是 zip。" + _ZIP_HINT),
    "photos.source_is_7z": "无法读取“{file}”：这是 7z 压缩包，不是 zip。" + _ZIP_HINT,
    "photos.zip_encrypted": (
        "压缩包“{file}”设置了密码，程序无法读取其中的 {count} 张照片。"
        "请解压后不设密码重新打包（Windows 里选中照片，右键“发送到 → 压缩(zipped)文件夹”），"
        "或直接选择照片所在的文件夹。"
    ),
    "photos.source_not_zip": (
        "无法读取“{file}”：它不是 zip 压缩包，或者已经损坏（可能没有下载或拷贝完整）。" + _ZIP_HINT
    ),
    "photos.folder_too_many": (
        "文件夹“{folder}”里的照片超过 {limit} 张，不像是一个考点的照片文件夹。"
        "请选择只放考生照片的文件夹。"
    ),
    # --- one photo file chosen on the page ---
    "photos.file_too_large": "文件“{file}”太大，不是证件照。请选择 5 MB 以内的 jpg 或 png 照片。",
    "photos.file_unreadable": "无法读取文件“{file}”：{reason}。",
    "photos.no_candidate": "没有证件号码为 {id_number} 的考生。请先在“考生”页添加该考生。",
    "photos.workers_died": (
        "检查照片的后台进程意外退出（可能是内存不足或被安全软件拦截），照片未导入。"
        "请关闭其他程序后重试，或把照片分成几批导入。"
    ),
}

#: The background colours the check names (``photo_spec.Background``), for lists and the
#: photo's details.
BACKGROUND_TITLES: Final[dict[str, str]] = {
    "red": "红色",
    "unclear": "不标准的红色（需复核）",
    "blue": "蓝色",
    "blue_white": "蓝白渐变",
    "white": "白色",
    "grey": "灰色",
    "dark": "黑色或很暗",
    "yellow": "黄色",
    "green": "绿色",
    "purple": "紫色",
    "other": "看不到红色背景",
}
