"""Every Excel file chibo writes starts here, so that no cell ever becomes a formula or a link.

XlsxWriter turns a string that starts with "=" into a formula (and "http…" into a link) unless
told not to. Names, places and report labels come from users and bundles: "=HYPERLINK(…)" in an
organization's name must stay text in a report, an export and a bundle that round-trips.
"""

import xlsxwriter

SAFE = {"strings_to_formulas": False, "strings_to_urls": False}


def workbook(target, **options) -> xlsxwriter.Workbook:
    """An XlsxWriter workbook writing to `target` (a path or a binary buffer)."""
    return xlsxwriter.Workbook(target, {**options, **SAFE})
