"""The layout math of the room documents: label grids, seat grids, boxes that stay on the
page and apart, text fitted into a box."""

from __future__ import annotations

import itertools

import pytest
from reportlab.lib.units import mm

from examsite.domain.seating import COLUMNS
from examsite.formats.pdf import desk_labels, door_signs, seal_strips, seating_plan
from examsite.formats.pdf.drawing import PAGE_HEIGHT, PAGE_WIDTH
from examsite.formats.pdf.fonts import load_fonts
from examsite.formats.pdf.tables import (
    Box,
    column_widths,
    fit_lines,
    grid_boxes,
    label_grid,
    pages_needed,
)


def _inside(box: Box, width: float = PAGE_WIDTH, height: float = PAGE_HEIGHT) -> bool:
    x, y, w, h = box
    return x >= 0 and y >= 0 and x + w <= width + 0.01 and y + h <= height + 0.01


def _apart(a: Box, b: Box) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return (
        ax + aw <= bx + 0.01 or bx + bw <= ax + 0.01 or ay + ah <= by + 0.01 or by + bh <= ay + 0.01
    )


@pytest.mark.parametrize(
    ("per_page", "grid"), [(8, (2, 4)), (10, (2, 5)), (12, (2, 6)), (1, (1, 1))]
)
def test_label_grid(per_page: int, grid: tuple[int, int]) -> None:
    assert label_grid(per_page) == grid


def test_label_grid_refuses_zero() -> None:
    with pytest.raises(ValueError):
        label_grid(0)


@pytest.mark.parametrize("per_page", [8, 10, 12])
def test_label_boxes_on_the_page_apart_with_room_for_cut_marks(per_page: int) -> None:
    boxes = desk_labels.label_boxes(per_page)
    assert len(boxes) == per_page
    for box in boxes:
        assert _inside(box)
        x, y, w, h = box
        # the cut marks reach 4 mm outside a label: still on the paper
        assert x - 4 * mm >= 0 and y - 4 * mm >= 0
        assert x + w + 4 * mm <= PAGE_WIDTH and y + h + 4 * mm <= PAGE_HEIGHT
        assert h >= 35 * mm and w >= 80 * mm  # big enough for a desk
    for a, b in itertools.combinations(boxes, 2):
        assert _apart(a, b)
    # row by row from the top left
    assert boxes[0][1] > boxes[-1][1] and boxes[0][0] < boxes[1][0]


def test_label_parts_inside_the_label() -> None:
    for box in desk_labels.label_boxes(12):
        for part in desk_labels.label_parts(box).values():
            px, py, pw, ph = part
            x, y, w, h = box
            assert (
                px >= x and py >= y - 0.01 and px + pw <= x + w + 0.01 and py + ph <= y + h + 0.01
            )


def test_grid_boxes_row_by_row() -> None:
    boxes = grid_boxes((0, 0, 60, 40), 3, 2, gap=0)
    assert boxes[0] == (0, 20, 20, 20)
    assert boxes[2] == (40, 20, 20, 20)
    assert boxes[3] == (0, 0, 20, 20)


def test_seat_grid_follows_the_arrangement() -> None:
    boxes = seating_plan.seat_boxes(60)
    assert len(boxes) == 60
    assert seating_plan.grid_rows(60) == 10 and seating_plan.grid_rows(40) == 7
    # seats 1..6 on the first row (the top, nearest the 讲台), seat 7 behind seat 1
    first_row = boxes[:COLUMNS]
    assert len({round(b[1], 3) for b in first_row}) == 1
    assert [b[0] for b in first_row] == sorted(b[0] for b in first_row)
    assert boxes[COLUMNS][0] == pytest.approx(boxes[0][0])
    assert boxes[COLUMNS][1] < boxes[0][1]
    for box in boxes:
        assert _inside(box)
        assert box[1] >= 15 * mm  # above the footer
        assert box[1] + box[3] <= PAGE_HEIGHT - seating_plan.HEAD
    for a, b in itertools.combinations(boxes, 2):
        assert _apart(a, b)


def test_door_sign_bands_stack_inside_the_border() -> None:
    bands = door_signs.band_boxes()
    width, height = door_signs.PAGE
    assert width > height  # landscape
    boxes = [box for box, _size in bands.values()]
    for box in boxes:
        assert _inside(box, width, height)
    for a, b in itertools.combinations(boxes, 2):
        assert _apart(a, b)


def test_seal_strips_on_the_page() -> None:
    boxes = seal_strips.strip_boxes()
    assert len(boxes) == seal_strips.PER_PAGE
    for a, b in itertools.combinations(boxes, 2):
        assert _apart(a, b)
    assert all(_inside(b) for b in boxes)


def test_pages_needed_and_widths() -> None:
    assert pages_needed(0, 8) == 0
    assert pages_needed(8, 8) == 1
    assert pages_needed(9, 8) == 2
    assert pages_needed(60, 12) == 5
    assert column_widths([1, 3], 100) == [25, 75]


def test_fit_lines_shrinks_then_wraps() -> None:
    fonts = load_fonts()
    lines, size = fit_lines("欧阳娜娜娜娜", 30 * mm, 10 * mm, 30)
    assert lines == ["欧阳娜娜娜娜"] and fonts.width(lines[0], size) <= 30 * mm + 0.01
    long = "江汉职业技术学院（示例） - 数字营销技术应用职业技能等级证书（初级、中级）考核站点" * 2
    lines, size = fit_lines(long, 60 * mm, 20 * mm, 12, minimum=6)
    assert len(lines) > 1
    assert all(fonts.width(line, size) <= 60 * mm + 0.01 for line in lines)
    assert len(lines) * size * 1.2 <= 20 * mm
    lines, _size = fit_lines("缺考考生\n（座位号）", 40 * mm, 20 * mm, 10)
    assert lines == ["缺考考生", "（座位号）"]
