"""Prefecture-level (地级) region codes of GB/T 2260, every edition from 1980 to 2024.

Generated data: do not edit by hand. The first four digits of a resident ID number are the
province (2 digits) and the prefecture (2 digits) of the place where the number was issued.
A number keeps the code of its time for life, so every code that was ever in force counts,
including prefectures abolished or renumbered since (3426 巢湖 until 2011, 5102 重庆 while it
was part of 四川, 4600 for the counties 海南 ran directly from 1988 to 2001 …).

Each line is a province and the two-digit prefecture codes it has had. A prefecture is the
first four digits of any county-level or prefecture-level code (not of the province code
itself, ``xx0000``); that takes in the province-run county groups (``xx90``) and the 市辖区
and 县 groups of the municipalities (1101, 1102, 5001, 5002 …).

Sources (the union of all of them; 558 prefectures, 342 still in use in 2024):

- 民政部, 中华人民共和国县级以上行政区划代码, yearly lists 1980–2019, and GB/T 2260-2002 and
  GB/T 2260-2007, as collected in github.com/cn/GB2260 (files mca/198012–201904, 200212,
  200712), commit 1173e8b5 (2022-09-20); with 国家统计局's lists stats/200212–201810.
- 民政部's yearly lists 1981–2024 with the corrections of errata.md, as collected in
  github.com/yescallop/areacodes (data/1981.txt–2024.txt, CC0 1.0), commit eed219a0
  (2025-11-04).
- Cross-check only: python-stdnum 2.2, stdnum/cn/loc.dat (historical county codes from
  Wikipedia); it adds no prefecture to the two above.

Only the 31 mainland provinces are listed: 71, 81 and 82 appear on no resident ID card.
"""

from __future__ import annotations

from typing import Final

# province: prefecture codes (the 3rd and 4th digits)
PREFECTURE_TABLE: Final[str] = """
11: 01 02
12: 01 02
13: 01 02 03 04 05 06 07 08 09 10 11 21 22 23 24 25 26 27 28 29 30 90
14: 01 02 03 04 05 06 07 08 09 10 11 21 22 23 24 25 26 27 90
15: 01 02 03 04 05 06 07 08 09 21 22 23 24 25 26 27 28 29
21: 01 02 03 04 05 06 07 08 09 10 11 12 13 14 21 22 90
22: 01 02 03 04 05 06 07 08 21 22 23 24 25 26 90
23: 01 02 03 04 05 06 07 08 09 10 11 12 21 22 23 24 25 26 27 90
31: 01 02
32: 01 02 03 04 05 06 07 08 09 10 11 12 13 21 22 23 24 25 26 27 90
33: 01 02 03 04 05 06 07 08 09 10 11 21 22 23 24 25 26 27 28 90
34: 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 21 22 23 24 25 26 27 28 29 90
35: 01 02 03 04 05 06 07 08 09 21 22 23 24 25 26 27 90
36: 01 02 03 04 05 06 07 08 09 10 11 21 22 23 24 25 26 90
37: 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 21 22 23 24 25 26 27 28 29 90
41: 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 21 22 23 24 25 26 27 28 29 30 90
42: 01 02 03 04 05 06 07 08 09 10 11 12 13 21 22 23 24 25 26 27 28 29 90
43: 01 02 03 04 05 06 07 08 09 10 11 12 13 21 22 23 24 25 26 27 28 29 30 31 90
44: 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28
    29 51 52 53 90
45: 01 02 03 04 05 06 07 08 09 10 11 12 13 14 21 22 23 24 25 26 27 28
46: 00 01 02 03 04 90
50: 01 02 03
51: 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28
    29 30 31 32 33 34 35 36 37 38 39 70 90
52: 01 02 03 04 05 06 21 22 23 24 25 26 27
53: 01 02 03 04 05 06 07 08 09 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35
54: 01 02 03 04 05 06 21 22 23 24 25 26 27
61: 01 02 03 04 05 06 07 08 09 10 21 22 23 24 25 26 27 90
62: 01 02 03 04 05 06 07 08 09 10 11 12 21 22 23 24 25 26 27 28 29 30
63: 01 02 21 22 23 24 25 26 27 28
64: 01 02 03 04 05 21 22
65: 01 02 03 04 05 21 22 23 24 25 26 27 28 29 30 31 32 40 41 42 43 90
"""
