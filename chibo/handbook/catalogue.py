"""The self-examination catalogue: the 27 manifestations of Nghị quyết 04-NQ/TW, grouped as the
resolution groups them (A political ideology, B ethics and lifestyle, C "self-evolution,
self-transformation", nine each), with the province's finer signs under each one (Tuyên Quang's
"119 biểu hiện").

The catalogue is data a province replaces, not code: a JSON file (docs/handbook.md, "The
self-examination catalogue"), chibo's own by default (data/manifestations-04-NQ-TW.json: the
27, paraphrased, and no signs — their authoritative text is not in hand and is not invented),
the province's when `CHIBO_MANIFESTATIONS_FILE` names one. `load(path)` reads and validates a
file and reports every problem at once (`CatalogueError`); `chibo manifestations check FILE`
runs it before a file is put in use. The codes are what a self-review stores, so they must stay
stable: A1…C9 for the manifestations, the manifestation's code, a dot and a number for a sign
("A4.2").
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chibo.core.validation import validate_line

DEFAULT_FILE = Path(__file__).parent / "data" / "manifestations-04-NQ-TW.json"

# 04-NQ/TW's groups, in its order, each of nine manifestations.
GROUPS = ("A", "B", "C")
PER_GROUP = 9
SIGN_CODE = re.compile(r"^(?P<manifestation>[ABC][1-9])\.[1-9][0-9]{0,2}$")
LONGEST_TEXT = 1000  # characters of a title, a manifestation or a sign: a line, not a page


@dataclass(frozen=True)
class Sign:
    """One of the province's finer signs of a manifestation."""

    code: str  # "A4.2"
    text: str


@dataclass(frozen=True)
class Manifestation:
    code: str  # "A1" … "C9"
    group: str  # "A", "B", "C"
    text: str
    signs: tuple[Sign, ...] = ()


@dataclass(frozen=True)
class Group:
    code: str
    title: str
    items: tuple[Manifestation, ...]


@dataclass(frozen=True)
class Catalogue:
    source: str  # the resolution, and the province's document for its signs
    note: str
    groups: tuple[Group, ...]

    @property
    def manifestations(self) -> list[Manifestation]:
        return [item for group in self.groups for item in group.items]

    def codes(self) -> list[str]:
        """The manifestations' codes in the catalogue's order."""
        return [item.code for item in self.manifestations]

    def sign_codes(self) -> list[str]:
        return [sign.code for item in self.manifestations for sign in item.signs]

    def order(self) -> dict[str, int]:
        """Every code (manifestations and signs) → its place, to keep marks in that order."""
        codes = [code for item in self.manifestations
                 for code in (item.code, *(sign.code for sign in item.signs))]
        return {code: place for place, code in enumerate(codes)}

    @property
    def has_signs(self) -> bool:
        return any(item.signs for item in self.manifestations)


class CatalogueError(ValueError):
    """A catalogue file that cannot be used; `problems` lists every one found, in words."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path, self.problems = str(path), problems
        super().__init__("\n".join(problems))


def manifestation_of(sign_code: str) -> str:
    """The manifestation a sign code belongs to ("A4.2" → "A4")."""
    return sign_code.split(".", 1)[0]


class _Reader:
    """Reads one file's JSON into a Catalogue, collecting every problem with where it is."""

    def __init__(self):
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    def text(self, value, where: str, *, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(where, _("cần một đoạn chữ, không để trống"))
            return ""
        if len(value) > LONGEST_TEXT:
            self.problem(where, _("dài quá %(n)s ký tự") % {"n": LONGEST_TEXT})
        try:
            validate_line(value)
        except ValidationError as error:
            self.problem(where, error.messages[0])
        return value.strip()

    def items_of(self, value, where: str) -> list:
        if not isinstance(value, list):
            self.problem(where, _("cần một danh sách"))
            return []
        return value

    def catalogue(self, raw) -> Catalogue:
        if not isinstance(raw, dict):
            self.problem("", _("tệp cần là một đối tượng JSON có \"source\" và \"groups\""))
            return Catalogue("", "", ())
        source = self.text(raw.get("source"), "source")
        note = raw.get("note") if isinstance(raw.get("note"), str) else ""
        groups = [self.group(g, f"groups[{i}]")
                  for i, g in enumerate(self.items_of(raw.get("groups"), "groups"))]
        found = [g.code for g in groups if g is not None]
        for code in GROUPS:
            if found.count(code) == 0:
                self.problem("groups", _("thiếu nhóm %(code)s") % {"code": code})
            elif found.count(code) > 1:
                self.problem("groups", _("nhóm %(code)s có hơn một lần") % {"code": code})
        kept = sorted((g for g in groups if g is not None), key=lambda g: g.code)
        return Catalogue(source, note, tuple(kept))

    def group(self, raw, where: str) -> Group | None:
        if not isinstance(raw, dict):
            self.problem(where, _("cần một đối tượng có \"code\", \"title\", \"items\""))
            return None
        code = raw.get("code")
        if code not in GROUPS:
            self.problem(f"{where}.code", _("mã nhóm phải là A, B hoặc C"))
            return None
        title = self.text(raw.get("title"), f"{where}.title")
        items = [self.manifestation(item, code, f"{where}.items[{i}]")
                 for i, item in enumerate(self.items_of(raw.get("items"), f"{where}.items"))]
        codes = [item.code for item in items if item is not None]
        for number in range(1, PER_GROUP + 1):
            wanted = f"{code}{number}"
            if codes.count(wanted) == 0:
                self.problem(f"{where}.items", _("thiếu biểu hiện %(code)s") % {"code": wanted})
            elif codes.count(wanted) > 1:
                self.problem(f"{where}.items",
                             _("biểu hiện %(code)s có hơn một lần") % {"code": wanted})
        kept = sorted((item for item in items if item is not None),
                      key=lambda item: int(item.code[1:]))
        return Group(code, title, tuple(kept))

    def manifestation(self, raw, group: str, where: str) -> Manifestation | None:
        if not isinstance(raw, dict):
            self.problem(where, _("cần một đối tượng có \"code\", \"text\" và \"signs\""))
            return None
        code = raw.get("code")
        if not isinstance(code, str) or not re.fullmatch(rf"{group}[1-9]", code):
            self.problem(f"{where}.code", _("mã biểu hiện của nhóm %(group)s là %(group)s1 … "
                                           "%(group)s9") % {"group": group})
            return None
        text = self.text(raw.get("text"), f"{where}.text")
        signs = [self.sign(sign, code, f"{where}.signs[{i}]")
                 for i, sign in enumerate(self.items_of(raw.get("signs", []), f"{where}.signs"))]
        seen: set[str] = set()
        for sign in signs:
            if sign is not None and sign.code in seen:
                self.problem(f"{where}.signs", _("mã %(code)s có hơn một lần")
                             % {"code": sign.code})
            elif sign is not None:
                seen.add(sign.code)
        return Manifestation(code, group, text, tuple(s for s in signs if s is not None))

    def sign(self, raw, manifestation: str, where: str) -> Sign | None:
        if not isinstance(raw, dict):
            self.problem(where, _("cần một đối tượng có \"code\" và \"text\""))
            return None
        code = raw.get("code")
        matched = SIGN_CODE.match(code) if isinstance(code, str) else None
        if matched is None or matched["manifestation"] != manifestation:
            self.problem(f"{where}.code", _("mã dấu hiệu là mã biểu hiện, dấu chấm và số thứ "
                                           "tự: %(example)s") % {"example": f"{manifestation}.1"})
            return None
        return Sign(code, self.text(raw.get("text"), f"{where}.text"))


def load(path: Path | str) -> Catalogue:
    """The catalogue in the file at `path`, or CatalogueError naming every problem."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise CatalogueError(path, [_("không đọc được tệp: %(error)s")
                                    % {"error": error.strerror or error}]) from error
    except UnicodeDecodeError as error:
        raise CatalogueError(path, [_("tệp không phải UTF-8")]) from error
    except json.JSONDecodeError as error:
        raise CatalogueError(path, [_("không phải JSON hợp lệ (dòng %(line)s, cột %(col)s): "
                                      "%(msg)s") % {"line": error.lineno, "col": error.colno,
                                                    "msg": error.msg}]) from error
    reader = _Reader()
    catalogue = reader.catalogue(raw)
    if reader.problems:
        raise CatalogueError(path, reader.problems)
    return catalogue


def configured_file() -> Path:
    """The province's file (setting MANIFESTATIONS_FILE, env CHIBO_MANIFESTATIONS_FILE), else
    chibo's own."""
    chosen = getattr(settings, "MANIFESTATIONS_FILE", "")
    return Path(chosen) if chosen else DEFAULT_FILE


@cache
def _cached(path: str) -> Catalogue:
    return load(path)


def catalogue() -> Catalogue:
    """The catalogue in use, read once per process (a changed file needs a restart; check it
    with `chibo manifestations check` first)."""
    return _cached(str(configured_file()))


def check_catalogue(app_configs=None, **kwargs) -> list:
    """Django system check: the configured catalogue can be used (every problem, one error)."""
    from django.core.checks import Error

    path = configured_file()
    try:
        load(path)
    except CatalogueError as error:
        return [Error(_("Danh mục biểu hiện %(path)s không dùng được:\n%(problems)s")
                      % {"path": path, "problems": "\n".join(error.problems)},
                      hint=_("Kiểm tra bằng: chibo manifestations check TỆP "
                             "(biến CHIBO_MANIFESTATIONS_FILE)"),
                      id="handbook.E001")]
    return []
