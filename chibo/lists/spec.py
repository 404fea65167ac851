"""One list pattern for every list: a list is declared, not programmed.

A list names its rows, its filters, its columns and its sort orders (NetBox's declarative list
views are the model); the pattern does the rest the same way everywhere: keyset paging with the
total shown (bounded on huge scopes), filters and an accent-free search in one GET form, tabs,
the export of the whole filtered set (at once when small, in the background when large), and a
table that becomes cards on a phone. docs/architecture.md, "How a process adds a list", walks
through one.

    class MeetingList(OrgList):                       # chibo.organizations.lists.OrgList
        key = "meetings.list"                         # the registry key (exports find it)
        title = _("Sinh hoạt chi bộ")
        noun = ngettext_lazy("%(count)s buổi", "%(count)s buổi", "n")
        tabs = (Tab("past", _("Đã diễn ra"), where=past, sort="newest"), ...)
        filters = (Subtree("organization__path"), Choice("kind", _("Loại"), MeetingKind.choices,
                   field="kind"), Period("date"))
        search = Search(_("Tìm theo chi bộ"), fields=("organization__search_key",))
        sorts = (Sort("newest", _("Mới nhất"), ("-date", "-id")), ...)
        columns = (Column("date", _("Ngày"), link=meeting_url, title=True), ...)

        def rows(self, listing):                      # the rows the user may see, unfiltered
            return Meeting.objects.visible_to(listing.user).select_related("organization")

    register_list(MeetingList())                      # in the app's ready()
    path("org/<str:code>/meetings/", LISTS["meetings.list"].as_view(), name="list")

`rows` returns a queryset, filtered and paged in SQL, or a list computed in Python (the
compliance findings), filtered by the filters' values that `rows` reads from `listing.values`
and paged in memory. A list shows everything its filters select, page by page, and says how
many there are: never a silent cut.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import and_
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from chibo.core.forms import style_fields
from chibo.core.registry import Store, declare
from chibo.core.text import search_key
from chibo.lists import paging

PAGE_SIZE = 50
COUNT_LIMIT = 10_000  # a count stops here: "hơn 10.000" (count=exact counts everything)
EXPORT_AT_ONCE = 5_000  # rows an export writes in the request; larger ones run in the background
CHUNK = 2_000  # rows read at a time by an export (keyset pages)

ALL = gettext_lazy("Tất cả")  # the blank choice of a filter: selects every row

# The query parameters the pattern owns; the filters' names must differ from them.
RESERVED = frozenset({"tab", "sort", "q", "after", "before", "start", "count", "export"})


# --- declarations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column: its `label`; its value, `value` (an attribute path "organization__name", or a
    function of the row; default: the key as attribute path); a `link` (a function of the row
    giving a URL or None); or its own markup, `html` (a function of the row, format_html).
    `css` classes of the cell ("num" for numbers); `title`: the cell heads the row's card on a
    phone; `page`/`export`: shown on the page, written to the export (a function there gives
    the exported value: a date, a number or text)."""

    key: str
    label: Any
    value: str | Callable[[Any], Any] | None = None
    link: Callable[[Any], str | None] | None = None
    html: Callable[[Any], str] | None = None
    css: str = ""
    title: bool = False
    page: bool = True
    export: bool | Callable[[Any], Any] = True

    def raw(self, row) -> Any:
        if callable(self.value):
            return self.value(row)
        path = self.value or self.key
        for part in path.split("__"):
            row = getattr(row, part, None) if row is not None else None
        return row() if callable(row) else row

    def cell(self, row) -> str:
        if self.html is not None:
            return self.html(row)
        text = display(self.raw(row))
        url = self.link(row) if self.link is not None else None
        return format_html('<a href="{}">{}</a>', url, text) if url else conditional_escape(text)

    def exported(self, row) -> Any:
        """The value written to the export: a date, a number, or text (a yes/no as "Có")."""
        value = self.export(row) if callable(self.export) else self.raw(row)
        if isinstance(value, bool | datetime):
            return display(value)
        return str(value) if not isinstance(value, int | float | date | type(None)) else value


@dataclass(frozen=True)
class Sort:
    """An order of the rows: `order`, a queryset's ORDER BY whose last field makes it total
    (the primary key); or, for rows computed in Python, `python`, the row's key (a tuple of
    text, numbers and dates, unique per row: end it with the row's position)."""

    key: str
    label: Any
    order: tuple[str, ...] = ()
    python: Callable[[Any], tuple] | None = None


@dataclass(frozen=True)
class Tab:
    """A view of the list shown as a tab (past and future meetings): `where(rows, listing)`
    narrows the rows (a queryset; a computed list reads `listing.tab`), `sort` is its default
    order and `sorts` the orders it offers (default: all)."""

    key: str
    label: Any
    where: Callable[[Any, "Listing"], Any] | None = None
    sort: str = ""
    sorts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Search:
    """The list's search box. On a queryset: rows whose folded `fields` (search_key columns,
    chibo.core.text.search_key) contain the folded term, or whose `exact` fields equal the term
    as typed (codes). On a computed list: rows whose `text(row)`, folded, contains it. With
    `words`, each word of the term is looked for on its own ("nghi quyet chi bo" finds
    "Nghị quyết của Chi bộ")."""

    label: Any = gettext_lazy("Tìm kiếm")
    fields: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    text: Callable[[Any], str] | None = None
    words: bool = False

    def apply(self, rows, term: str):
        key = search_key(term)
        if not key:
            return rows
        parts = key.split() if self.words else [key]
        if isinstance(rows, QuerySet):
            condition = Q()
            for name in self.fields:
                condition |= reduce(and_, [Q(**{f"{name}__contains": part}) for part in parts])
            for name in self.exact:
                condition |= Q(**{name: term.strip()})
            return rows.filter(condition)
        return [row for row in rows
                if all(part in search_key(self.text(row)) for part in parts)]


class Filter:
    """A filter: the form fields it adds (`fields`), and how it narrows a queryset (`apply`,
    reading its values from `listing.values`). A computed list reads the values itself."""

    name: str = ""
    label: Any = ""

    def fields(self, listing: "Listing") -> dict[str, forms.Field]:
        raise NotImplementedError

    def defaults(self, listing: "Listing") -> dict[str, Any]:
        """The value of each field when the request does not give it."""
        return {}

    def apply(self, rows, listing: "Listing"):
        return rows

    def describe(self, listing: "Listing") -> list[str]:
        """What it selects, in words, for the export's heading ([] when it selects all)."""
        return []


class Choice(Filter):
    """One value out of `choices` (a list of (value, label), or a function of the listing
    giving one). It narrows the rows by `field` = value, or by `apply(rows, value, listing)`;
    with neither, `rows` reads `listing.values[name]`. "" (`blank`) selects all, unless
    `blank` is None; `default` is the value when the request gives none."""

    def __init__(self, name: str, label, choices, *, field: str | None = None,
                 apply: Callable | None = None, default: str = "",
                 blank=ALL):
        self.name, self.label, self.choices, self.field = name, label, choices, field
        self.applier, self.default, self.blank = apply, default, blank

    def options(self, listing) -> list[tuple[str, Any]]:
        choices = self.choices(listing) if callable(self.choices) else self.choices
        return ([("", self.blank)] if self.blank is not None else []) + [
            (str(value), label) for value, label in choices]

    def fields(self, listing):
        return {self.name: forms.ChoiceField(label=self.label, required=False,
                                             choices=self.options(listing))}

    def defaults(self, listing):
        return {self.name: self.default}

    def apply(self, rows, listing):
        value = listing.values.get(self.name)
        if not value:
            return rows
        if self.applier is not None:
            return self.applier(rows, value, listing)
        if self.field is not None:
            return rows.filter(**{self.field: value})
        return rows

    def describe(self, listing):
        value = listing.values.get(self.name)
        if not value:
            return []
        label = dict(self.options(listing)).get(value, value)
        return [f"{self.label}: {label}"]


class Text(Choice):
    """A typed value (not a choice): narrows by `field` = value or by `apply`."""

    def __init__(self, name: str, label, *, field: str | None = None,
                 apply: Callable | None = None, help_text: Any = "", max_length: int = 100):
        super().__init__(name, label, (), field=field, apply=apply)
        self.help_text, self.max_length = help_text, max_length

    def fields(self, listing):
        return {self.name: forms.CharField(label=self.label, required=False,
                                           max_length=self.max_length,
                                           help_text=self.help_text)}

    def describe(self, listing):
        value = listing.values.get(self.name)
        return [f"{self.label}: {value}"] if value else []


class Period(Filter):
    """A year and, optionally, a month of it: rows whose `field` (a date) falls in them. The
    year offered go from next year back `back` years; `default_year` "this" selects this year
    when the request names none (None: every year)."""

    name = "year"

    def __init__(self, field: str | None = None, *, back: int = 5, ahead: int = 1,
                 default_year: str | None = "this", months: bool = True):
        self.field, self.back, self.ahead = field, back, ahead
        self.default_year, self.months = default_year, months
        self.label = gettext_lazy("Năm")

    def years(self, listing) -> list[int]:
        this = listing.today.year
        return list(range(this + self.ahead, this - self.back - 1, -1))

    def fields(self, listing):
        years = [(str(y), str(y)) for y in self.years(listing)]
        out = {"year": forms.ChoiceField(
            label=_("Năm"), required=False,
            choices=years if self.default_year else [("", _("Mọi năm")), *years])}
        if self.months:
            out["month"] = forms.ChoiceField(
                label=_("Tháng"), required=False,
                choices=[("", _("Cả năm")), *((str(m), f"{m:02d}") for m in range(1, 13))])
        return out

    def defaults(self, listing):
        year = str(listing.today.year) if self.default_year == "this" else ""
        return {"year": year, "month": ""}

    def bounds(self, listing) -> tuple[date, date] | None:
        """(first, last) day chosen, or None for every year."""
        import calendar

        year, month = listing.values.get("year"), listing.values.get("month")
        if not year:
            return None
        year = int(year)
        if month:
            month = int(month)
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)

    def apply(self, rows, listing):
        bounds = self.bounds(listing)
        if bounds is None or self.field is None:
            return rows
        return rows.filter(**{f"{self.field}__gte": bounds[0], f"{self.field}__lte": bounds[1]})

    def describe(self, listing):
        year, month = listing.values.get("year"), listing.values.get("month")
        if not year:
            return []
        return [_("Tháng %(m)s/%(y)s") % {"m": f"{int(month):02d}", "y": year} if month
                else _("Năm %(y)s") % {"y": year}]


# --- the list -------------------------------------------------------------------------------


class ListSpec:
    """A list, declared: subclass it, set the attributes, write `rows` (and `resolve` when the
    URL names something, such as an organization), register one instance
    (`register_list`), and route its `as_view()`."""

    key: str = ""
    title: Any = ""
    noun: Any = ngettext_lazy("%(count)s dòng", "%(count)s dòng", "n")
    capability: str | None = None  # checked by `resolve` on what the URL names
    tabs: tuple[Tab, ...] = ()
    filters: tuple[Filter, ...] = ()
    search: Search | None = None
    sorts: tuple[Sort, ...] = ()
    columns: tuple[Column, ...] = ()
    page_size: int = PAGE_SIZE
    count_limit: int | None = COUNT_LIMIT
    export_at_once: int = EXPORT_AT_ONCE
    template: str = "lists/page.html"

    # -- what a list writes --

    def resolve(self, user, **kwargs) -> Any:
        """What the URL names (an organization), once the user may see it: raise Http404 when
        out of their scope, PermissionDenied without the capability. None when nothing."""
        return None

    def rows(self, listing: "Listing") -> QuerySet | Sequence:
        """Every row the user may see in the list, before tabs, filters and search."""
        raise NotImplementedError

    def prepare(self, rows: list, listing: "Listing") -> list:
        """The rows of one page (or of one chunk of an export) made ready to show: what costs
        a query per row elsewhere (names behind codes) is read here, for the page at once."""
        return rows

    def heading(self, listing: "Listing") -> str:
        """What the list is of, under its title (the organization's name)."""
        return str(listing.scope) if listing.scope is not None else ""

    def context(self, listing: "Listing") -> dict:
        """More for the page's template (buttons, breadcrumbs)."""
        return {}

    def filename(self, listing: "Listing") -> str:
        return self.key.replace(".", "-")

    # -- the machinery --

    def listing(self, user, params: QueryDict, **kwargs) -> "Listing":
        return Listing(self, user, params, kwargs)

    def count_text(self, count: int, more: bool) -> str:
        shown = number_format(count, force_grouping=True)
        if more:
            shown = _("hơn %(n)s") % {"n": shown}
        return self.noun % {"n": count, "count": shown}

    def as_view(self):
        from chibo.lists.views import list_page

        def view(request, **kwargs):
            return list_page(request, self, **kwargs)

        view.list_spec = self
        return view


LISTS: Store[ListSpec] = declare("lists")


def register_list(spec: ListSpec) -> ListSpec:
    """Add a list (from its app's ready()); a key registered twice is an error at start-up."""
    if not spec.key or not spec.sorts or not spec.columns:
        raise ValueError(f"list {spec.key!r}: a key, a sort and columns are required")
    return LISTS.add(spec.key, spec)


@dataclass
class Cell:
    label: Any
    html: str
    css: str
    title: bool


class Listing:
    """One request's view of a list: what the URL names (`scope`), the tab, the filters'
    values, the search, the sort and the cursor; the rows they select (`selected`), a page
    of them, their count."""

    def __init__(self, spec: ListSpec, user, params: QueryDict, kwargs: dict):
        self.spec, self.user, self.params, self.kwargs = spec, user, params, kwargs
        self.today = timezone.localdate()
        self.scope = spec.resolve(user, **kwargs)
        tabs = {tab.key: tab for tab in spec.tabs}
        self.tab = tabs.get(params.get("tab", "")) or (spec.tabs[0] if spec.tabs else None)
        self.values: dict[str, Any] = {}
        self.form = self._form()
        self.term = self.values.get("q", "") or ""
        self.sort = self._sort()
        self.after, self.before = params.get("after", ""), params.get("before", "")
        self.exact = params.get("count") == "exact"
        try:
            self.start = max(1, int(params.get("start") or 1))
        except ValueError:
            self.start = 1

    # the form: the filters' fields, the search box, the sort
    def _form(self) -> forms.Form:
        fields: dict[str, forms.Field] = {}
        defaults: dict[str, Any] = {}
        if self.spec.search is not None:
            fields["q"] = forms.CharField(label=self.spec.search.label, required=False,
                                          max_length=100)
        for each in self.spec.filters:
            own = each.fields(self)
            if clash := RESERVED & set(own):
                raise ValueError(f"{self.spec.key}: filter field {clash} is a reserved name")
            fields.update(own)
            defaults.update(each.defaults(self))
        sorts = self.offered_sorts()
        if len(sorts) > 1:
            fields["sort"] = forms.ChoiceField(label=_("Sắp xếp"), required=False,
                                               choices=[(s.key, s.label) for s in sorts])
        data = {name: self.params.get(name, defaults.get(name, "")) for name in fields}
        form = forms.Form(data)
        form.fields.update(fields)
        style_fields(form)
        form.is_valid()
        cleaned = getattr(form, "cleaned_data", {})
        self.values = {name: cleaned.get(name, defaults.get(name, "")) for name in fields}
        return form

    def offered_sorts(self) -> list[Sort]:
        if self.tab is not None and self.tab.sorts:
            return [s for s in self.spec.sorts if s.key in self.tab.sorts]
        return list(self.spec.sorts)

    def _sort(self) -> Sort:
        offered = {s.key: s for s in self.offered_sorts()}
        chosen = self.values.get("sort") or (self.tab.sort if self.tab is not None else "")
        return offered.get(chosen) or next(iter(offered.values()))

    # the rows
    def selected(self):
        """The rows the tab, filters and search select, in the chosen order (a queryset, or a
        sorted list)."""
        if hasattr(self, "_selected"):
            return self._selected
        rows = self.spec.rows(self)
        if self.form.errors:
            # A value outside a filter's choices is shown as the form's error; the list is
            # then empty, never the wider list that ignoring the value would give.
            rows = rows.none() if isinstance(rows, QuerySet) else []
        if self.tab is not None and self.tab.where is not None:
            rows = self.tab.where(rows, self)
        if isinstance(rows, QuerySet):
            for each in self.spec.filters:
                rows = each.apply(rows, self)
        if self.spec.search is not None and self.term:
            rows = self.spec.search.apply(rows, self.term)
        if isinstance(rows, QuerySet):
            rows = rows.order_by(*self.sort.order)
        else:
            rows = sorted(rows, key=self._python_key)
        self._selected = rows
        return rows

    def _python_key(self, row) -> tuple:
        return tuple(paging.plain(v) for v in self.sort.python(row))

    def page(self, size: int | None = None, *, after: str | None = None,
             before: str | None = None) -> paging.Page:
        size = size or self.spec.page_size
        after = self.after if after is None else after
        before = self.before if before is None else before
        rows = self.selected()
        if isinstance(rows, QuerySet):
            return paging.page_of_queryset(rows, self.sort.order, size, after=after,
                                           before=before)
        return paging.page_of_sequence(rows, self._python_key, size, after=after,
                                       before=before)

    def all_rows(self, chunk: int = CHUNK):
        """Every selected row, read a keyset page at a time (an export)."""
        cursor = ""
        while True:
            page = self.page(chunk, after=cursor, before="")
            yield from self.spec.prepare(page.rows, self)
            if not page.after:
                return
            cursor = page.after

    def count(self, limit: int | None | str = "spec") -> tuple[int, bool]:
        """(count, whether there are more than the limit) of the selected rows."""
        if limit == "spec":
            limit = None if self.exact else self.spec.count_limit
        return paging.bounded_count(self.selected(), limit)

    # what the page and the export show
    def page_columns(self) -> list[Column]:
        return [c for c in self.spec.columns if c.page]

    def export_columns(self) -> list[Column]:
        return [c for c in self.spec.columns if c.export]

    def cells(self, rows) -> list[list[Cell]]:
        columns = self.page_columns()
        return [[Cell(c.label, c.cell(row), c.css, c.title) for c in columns] for row in rows]

    def described(self) -> list[str]:
        """The tab, filters and search chosen, in words."""
        words = [str(self.tab.label)] if self.tab is not None and len(self.spec.tabs) > 1 else []
        for each in self.spec.filters:
            words += each.describe(self)
        if self.term:
            words.append(_("Tìm: %(q)s") % {"q": self.term})
        return words

    def query(self, **changes) -> str:
        """The request's query string with `changes` (None drops a parameter)."""
        params = self.params.copy()
        for name, value in changes.items():
            if value is None:
                params.pop(name, None)
            else:
                params[name] = value
        return params.urlencode()

    def state_query(self) -> str:
        """The query string of what is selected, without paging or export: what an export
        run keeps to make the same list again."""
        return self.query(after=None, before=None, start=None, count=None, export=None)


def display(value) -> str:
    """A value as a list shows it: dd/mm/yyyy, 1.733, Có; nothing for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Có") if value else ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(
            value) else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return str(value)


__all__ = ["CHUNK", "COUNT_LIMIT", "EXPORT_AT_ONCE", "LISTS", "PAGE_SIZE", "Cell", "Choice",
           "Column", "Filter", "ListSpec", "Listing", "Period", "Search", "Sort", "Tab", "Text",
           "display", "register_list"]
