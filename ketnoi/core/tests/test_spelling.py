"""One spelling throughout: the tone mark of an open "oa", "oe" or "uy" sits on the second vowel
(Huỷ, Xoá, thoả thuận, khoẻ, luỹ kế, toạ đàm), as most of the code wrote it, never on the first
(the older placement the library pages used). Text people read lives in templates, e-mails,
Python strings and the catalogs, and the tests look for it, so all of them are read."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# A tone mark on the o of a final "oa"/"oe" or on the u of a final "uy" ("qu" excepted: there the
# u belongs to the consonant and the mark is on the y in either placement).
OLD_PLACEMENT = re.compile(r"([òóỏõọÒÓỎÕỌ][aeAE]|(?<![qQ])[ùúủũụÙÚỦŨỤ][yY])(?!\w)")
READ = {".html", ".txt", ".py", ".po", ".md"}
# Data migrations load official place names as the state writes them ("Hòa Bình"); the places
# are data, not the platform's own words, and a migration is history.
SKIPPED = {"migrations", ".venv", "node_modules", "vendor", "__pycache__"}


def old_spellings(root: Path) -> list[str]:
    found = []
    for folder in ("ketnoi", "tests"):
        for path in sorted((root / folder).rglob("*")):
            if (
                path.suffix not in READ
                or SKIPPED & set(path.relative_to(root).parts)
                or path.name == Path(__file__).name
            ):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                for match in OLD_PLACEMENT.finditer(line):
                    word = re.search(r"\w*" + re.escape(match.group(0)), line[: match.end()]).group(0)
                    found.append(f"{path.relative_to(root)}:{number}: {word}")
    return found


def test_the_pattern_finds_the_old_placement_and_spares_the_new():
    assert [m.group(0) for m in OLD_PLACEMENT.finditer("Hủy Xóa thỏa khỏe lũy Tọa HÒA")] == [
        "ủy",
        "óa",
        "ỏa",
        "ỏe",
        "ũy",
        "ọa",
        "ÒA",
    ]
    assert not OLD_PLACEMENT.findall("Huỷ Xoá thoả thuận khoẻ luỹ kế toạ đàm hoàn thuyết quý quỹ")


def test_templates_catalogs_and_code_spell_the_tone_mark_one_way():
    found = old_spellings(ROOT)
    assert found == [], "old tone-mark placement (write Huỷ, Xoá, thoả…):\n" + "\n".join(found)
