#!/usr/bin/env python3
"""Builds the PDF report's fallback fonts in assets/fonts/ from Debian's font packages.

Not run by CI; the outputs are committed. Needs `apt-get install fonts-noto-core fonts-noto-cjk
fonts-symbola` and `pip install fonttools`. Subsets keep the repository small:

- NotoSansArabic / NotoSansHebrew (Regular, Bold): copied whole (OFL 1.1), with their shaping
  tables.
- NotoSansCJK-Subset.otf: Noto Sans CJK SC (OFL 1.1) cut to the characters of GB 2312, the
  kanji of JIS X 0208, the Hangul of KS X 1001, kana, CJK punctuation and full-width forms:
  everyday Chinese (simplified), Japanese and Korean text, under 5 MB (with Big5 level 1 for
  traditional Chinese it was 5.2 MB).
- SymbolaEmoji.ttf: Symbola (George Douros, "free for any use") cut to the emoji and symbol
  blocks; monochrome outlines, so emoji print and extract as text.
"""
import shutil
import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTCollection

OUT = Path(__file__).resolve().parent.parent / "assets" / "fonts"
NOTO = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SYMBOLA = Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf")


def encodable(encoding, first_bytes):
    chars = set()
    for lead in first_bytes:
        for trail in range(0x40, 0xFF):
            try:
                chars.add(bytes([lead, trail]).decode(encoding))
            except UnicodeDecodeError:
                pass
    return {c for c in chars if len(c) == 1}


def main():
    for name in ["NotoSansArabic-Regular", "NotoSansArabic-Bold", "NotoSansHebrew-Regular",
                 "NotoSansHebrew-Bold"]:
        shutil.copy(NOTO / f"{name}.ttf", OUT / f"{name}.ttf")
    chars = set()
    chars |= encodable("gb2312", range(0xA1, 0xF8))
    chars |= {c for c in encodable("euc_jp", range(0xB0, 0xF5)) if "\u4e00" <= c <= "\u9fff"}
    chars |= {c for c in encodable("euc_kr", range(0xB0, 0xC9)) if "\uac00" <= c <= "\ud7a3"}
    ranges = ["U+3000-30FF", "U+31F0-31FF", "U+FF00-FFEF", "U+3130-318F"]
    collection = TTCollection(str(CJK))
    index = next(i for i, f in enumerate(collection.fonts)
                 if "Noto Sans CJK SC" in f["name"].getDebugName(1))
    text = OUT / "cjk-chars.txt"
    text.write_text("".join(sorted(chars)), encoding="utf-8")
    subprocess.run(["pyftsubset", str(CJK), f"--font-number={index}", f"--text-file={text}",
                    f"--unicodes={','.join(ranges)}", "--no-hinting", "--layout-features=*",
                    f"--output-file={OUT / 'NotoSansCJK-Subset.otf'}"], check=True)
    text.unlink()
    subprocess.run(["pyftsubset", str(SYMBOLA),
                    "--unicodes=U+2300-23FF,U+2460-24FF,U+25A0-27BF,U+2900-297F,U+2B00-2BFF,"
                    "U+1F000-1FAFF,U+FE0F,U+200D", "--no-hinting", "--layout-features=*",
                    f"--output-file={OUT / 'SymbolaEmoji.ttf'}"], check=True)
    for path in sorted(OUT.iterdir()):
        print(f"{path.stat().st_size / 1e6:6.2f} MB  {path.name}")


if __name__ == "__main__":
    sys.exit(main())
