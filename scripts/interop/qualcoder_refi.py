#!/usr/bin/env python3
"""Runs QualCoder's own REFI-QDA import and export (its refi.py), headless.

    QT_QPA_PLATFORM=offscreen python3 qualcoder_refi.py QUALCODER_SRC IN.qdpx OUT_DIR

QUALCODER_SRC is the `src` folder of a QualCoder checkout (github.com/ccbogel/QualCoder; never
committed here). IN.qdpx is imported into a new, empty QualCoder project (its database made
from the CREATE TABLE statements in QualCoder's own __main__.py), then exported again with
QualCoder's exporter to OUT_DIR/<name>.qdpx. Prints what QualCoder kept, as JSON: codes,
categories, codings (and codings that point at no code), memos, duplicate code names, the
messages QualCoder showed. A `.qdc` given instead is imported as a codebook.
Needs: pip install PyQt6 pymupdf pillow.
"""
import ast
import builtins
import json
import os
import sqlite3
import sys
from pathlib import Path

src, given, out = Path(sys.argv[1]), Path(sys.argv[2]).resolve(), Path(sys.argv[3]).resolve()
sys.path.insert(0, str(src))
builtins._ = lambda text: text  # QualCoder installs gettext's _ at start-up
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QualCoder stages exports in ~/.qualcoder, which it makes at start-up: a home of our own.
os.environ["HOME"] = str(out / "home")
(out / "home" / ".qualcoder").mkdir(parents=True, exist_ok=True)

from PyQt6 import QtWidgets  # noqa: E402

qt_app = QtWidgets.QApplication([])
from qualcoder import helpers, refi  # noqa: E402

messages = []


class Quiet:
    def __init__(self, app, title, text, *args, **kwargs):
        messages.append(f"{title}: {text}")

    def exec(self):
        return 0


class LineEndings:
    """QualCoder asks whether to write MAXQDA line endings; answer no."""

    def __init__(self, app):
        button = type("Button", (), {"isChecked": lambda self: False})()
        self.ui = type("Ui", (), {"radioButton_maxqda": button})()

    def exec(self):
        return 0


class Log:
    def append(self, text):
        messages.append(str(text))


def create_tables(conn):
    """The schema of a new QualCoder project, taken from QualCoder's own source."""
    tree = ast.parse((src / "qualcoder" / "__main__.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "execute" and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) \
                    and arg.value.startswith("CREATE TABLE") and "code_text2" not in arg.value:
                try:
                    conn.execute(arg.value)
                except sqlite3.OperationalError:
                    pass
    conn.execute("insert into project (databaseversion, date, memo, about) values ('v10', '', '', '')")
    conn.commit()


class App:
    def __init__(self, folder):
        self.project_path = str(folder)
        self.project_name = folder.name
        for sub in ["documents", "images", "audio", "video"]:
            (folder / sub).mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(folder / "data.qda")
        create_tables(self.conn)
        self.settings = {"codername": "default", "directory": str(out), "showids": False,
                         "language": "en", "timestampformat": "[mm.ss]", "speakernameformat": "[]",
                         "ai_enable": "False"}
        self.version = "QualCoder (headless)"
        self.project_events = None
        self.ai = None
        self.ai_models = []

    def write_config_ini(self, *args, **kwargs):
        pass

    def get_annotations(self):
        cur = self.conn.cursor()
        cur.execute("select anid, fid, pos0, pos1, memo, owner, date from annotation")
        keys = ["anid", "fid", "pos0", "pos1", "memo", "owner", "date"]
        return [dict(zip(keys, row)) for row in cur.fetchall()]


refi.Message = Quiet
helpers.Message = Quiet
refi.RefiLineEndings = LineEndings
QtWidgets.QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (str(given), True))
QtWidgets.QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: str(out))

out.mkdir(parents=True, exist_ok=True)
name = given.stem.replace(" ", "_") + "_qualcoder"
folder = out / f"{name}.qda"
if folder.exists():
    import shutil
    shutil.rmtree(folder)
app = App(folder)
kind = "qdc" if given.suffix.lower() == ".qdc" else "qdpx"
refi.RefiImport(app, Log(), kind)

cur = app.conn.cursor()
count = lambda sql: cur.execute(sql).fetchone()[0]  # noqa: E731
report = {
    "input": given.name,
    "categories": count("select count(*) from code_cat"),
    "codes": count("select count(*) from code_name"),
    "code_names": [r[0] for r in cur.execute("select name from code_name order by name")],
    "sources": count("select count(*) from source"),
    "codings": count("select count(*) from code_text"),
    "codings_without_code": count("select count(*) from code_text where cid is null"),
    "codings_with_memo": count("select count(*) from code_text where memo is not null and memo != ''"),
    "annotations": count("select count(*) from annotation"),
}
if kind == "qdpx":
    refi.RefiExport(app, Log(), "project")
    exported = sorted(out.glob(f"{app.project_name[:-4]}*.qdpx"))
    report["exported"] = [str(p) for p in exported]
else:
    report["codebook_tree"] = [
        f"{cat} / {code}" for cat, code in cur.execute(
            "select code_cat.name, code_name.name from code_name "
            "left join code_cat on code_name.catid = code_cat.catid order by 1, 2")]
report["messages"] = [m for m in messages if "error" in m.lower() or "not" in m.lower()
                      or "duplicat" in m.lower()][:20]
print(json.dumps(report, indent=2, ensure_ascii=False))
