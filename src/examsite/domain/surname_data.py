"""Surname readings for ``pinyin``: compound surnames, and single surnames whose reading as
a surname differs from the character's everyday reading.

Readings are written as in the result: lower case, no tone marks, ü as "yu" after l and n
("lyu"), a compound written together. Sources: the 百家姓 and the surname entries of
《现代汉语词典》, as quoted in public lists of 姓氏多音字, checked against the surname tables
of pinyin-pro and hotoo/pinyin; tests/fixtures/surnames.tsv holds the 600-odd surnames the
tests check, with notes.
"""

from __future__ import annotations

from typing import Final

# Compound surnames (复姓): the 60-odd of the 百家姓, then later ones still borne today, then
# Manchu clan names sometimes written without the dot. A compound is split off only when at
# least one character is left for the given name (``pinyin._split``).
COMPOUND_SURNAMES: Final[dict[str, str]] = {
    # the 百家姓, in its order
    "万俟": "moqi",  # not wansi
    "司马": "sima",
    "上官": "shangguan",
    "欧阳": "ouyang",
    "夏侯": "xiahou",
    "诸葛": "zhuge",
    "闻人": "wenren",
    "东方": "dongfang",
    "赫连": "helian",
    "皇甫": "huangfu",  # not huangpu
    "尉迟": "yuchi",  # not weichi
    "公羊": "gongyang",
    "澹台": "tantai",  # not dantai
    "公冶": "gongye",
    "宗政": "zongzheng",
    "濮阳": "puyang",
    "淳于": "chunyu",
    "单于": "chanyu",  # not danyu
    "太叔": "taishu",
    "申屠": "shentu",
    "公孙": "gongsun",
    "仲孙": "zhongsun",
    "轩辕": "xuanyuan",
    "令狐": "linghu",
    "钟离": "zhongli",
    "宇文": "yuwen",
    "长孙": "zhangsun",  # not changsun
    "慕容": "murong",
    "鲜于": "xianyu",
    "闾丘": "lyuqiu",
    "司徒": "situ",
    "司空": "sikong",
    "亓官": "qiguan",
    "司寇": "sikou",
    "仉督": "zhangdu",
    "子车": "ziju",  # 车 ju
    "颛孙": "zhuansun",
    "端木": "duanmu",
    "巫马": "wuma",
    "公西": "gongxi",
    "漆雕": "qidiao",
    "乐正": "yuezheng",  # not lezheng
    "壤驷": "rangsi",
    "公良": "gongliang",
    "拓跋": "tuoba",
    "夹谷": "jiagu",
    "宰父": "zaifu",
    "谷梁": "guliang",
    "榖梁": "guliang",  # the older form of 谷梁
    "段干": "duangan",
    "百里": "baili",
    "东郭": "dongguo",
    "南门": "nanmen",
    "呼延": "huyan",
    "归海": "guihai",
    "羊舌": "yangshe",
    "微生": "weisheng",
    "梁丘": "liangqiu",
    "左丘": "zuoqiu",
    "东门": "dongmen",
    "西门": "ximen",
    "伯赏": "boshang",
    "南宫": "nangong",
    "第五": "diwu",
    # not in the 百家姓
    "句龙": "goulong",  # 句 gou
    "毌丘": "guanqiu",  # 毌 guan, not 毋 wu
    "独孤": "dugu",
    "完颜": "wanyan",
    "贺兰": "helan",
    "尔朱": "erzhu",
    "达奚": "daxi",
    "耶律": "yelyu",
    "乞伏": "qifu",
    "即墨": "jimo",
    "太史": "taishi",
    "南郭": "nanguo",
    # Manchu clan names
    "爱新觉罗": "aixinjueluo",
    "叶赫那拉": "yehenala",
    "钮祜禄": "niuhulu",
}

# Compounds whose first character is also a common single surname and which few people bear
# today: in a three-character name they are read as that surname and a two-character given
# name (梁丘明 → Liang Qiuming), in a longer one as the compound (梁丘明月 → Liangqiu Mingyue).
AMBIGUOUS_COMPOUNDS: Final[frozenset[str]] = frozenset({"梁丘", "南门", "东门", "贺兰"})

# Single surnames read otherwise as surnames (pypinyin's everyday reading in the comment), then
# some pypinyin reads right today, pinned because they are often asked about.
SINGLE_SURNAMES: Final[dict[str, str]] = {
    "单": "shan",  # dan
    "曾": "zeng",  # ceng
    "解": "xie",  # jie
    "区": "ou",  # qu
    "仇": "qiu",  # chou
    "朴": "piao",  # pu
    "覃": "qin",  # tan
    "翟": "zhai",  # di
    "查": "zha",  # cha
    "盖": "ge",  # gai
    "乐": "yue",  # le
    "缪": "miao",  # mou
    "秘": "bi",  # mi
    "黑": "he",  # hei
    "折": "she",  # zhe
    "召": "shao",  # zhao
    "阚": "kan",  # han
    "员": "yun",  # yuan
    "贠": "yun",  # yuan; a variant of 员
    "貟": "yun",  # yuan; a variant of 员
    "句": "gou",  # ju
    "能": "nai",  # neng
    "种": "chong",  # zhong
    "重": "chong",  # zhong
    "隗": "wei",  # kui
    "繁": "po",  # fan
    "薄": "bo",  # bao
    "卜": "bu",  # bo
    "藏": "zang",  # cang
    "都": "du",  # dou
    "蕃": "pi",  # fan
    "番": "pan",  # fan
    "祭": "zhai",  # ji
    "洗": "xian",  # xi
    "蔚": "yu",  # wei; 蔚 Yù as a surname and in 蔚县
    "便": "pian",  # bian
    "佴": "nai",  # er
    "乜": "nie",  # mie
    "粘": "nian",  # zhan
    "炅": "gui",  # jiong
    "角": "jue",  # jiao
    "颉": "xie",  # jie
    "么": "yao",  # me
    "幺": "yao",
    "六": "lu",  # liu
    # read right by pypinyin today
    "长": "chang",  # zhang only in 长孙
    "尉": "wei",  # yu only in 尉迟
    "任": "ren",
    "尚": "shang",
    "沈": "shen",
    "过": "guo",
    "宓": "mi",
    "眭": "sui",
    "柏": "bai",
    "吕": "lyu",
    "冼": "xian",
    "费": "fei",
    "哈": "ha",
    "晟": "cheng",
    "谌": "chen",
    "郇": "huan",
    "隽": "juan",
    "厍": "she",
    "訾": "zi",
    "郗": "xi",
    "华": "hua",
    "纪": "ji",
    "燕": "yan",
    "瞿": "qu",
    "那": "na",
    "牟": "mou",
    "宿": "su",
    "於": "yu",
    "曲": "qu",
    "盛": "sheng",
    "逄": "pang",
    "贲": "ben",
}
