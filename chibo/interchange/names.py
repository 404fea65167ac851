"""The organizations and members a process's file names by code, for its import step: those
of the bundle (rows read and written by the records core's steps before it), then those already
stored; a code that names nothing usable is a RowError on its column, saying whether its row
in the bundle was refused or the code is unknown."""

from chibo.interchange.report import Row
from chibo.interchange.sections import ImportContext
from chibo.interchange.tree import RowError, by_code, missing, unknown_code
from chibo.members.models import Member


class Named:
    def __init__(self, context: ImportContext, member_codes: set[str]):
        self.context = context
        # member code -> id: the bundle's members first, the stored ones read in chunks
        self.members = {code: ref.pk for code, ref in context.members.items()
                        if code in member_codes}
        self.members |= {code: member.pk for code, member in by_code(
            Member, member_codes - set(self.members), field="member_code").items()}

    def org(self, row: Row, column: str):
        """The organization `row[column]` names (the loaded tree's)."""
        org = self.context.loaded.by_code.get(row[column])
        if org is None:
            raise RowError(column, missing(row[column], self.context.org_rows))
        return org

    def member(self, row: Row, column: str = "member_code") -> int:
        """The id of the member `row[column]` names."""
        code = row[column]
        if code not in self.members:
            raise RowError(column, missing(code, self.context.member_rows)
                           if code in self.context.member_rows else unknown_code(code))
        return self.members[code]
