"""The API's form of an exception given with an action (a process's endpoint takes it as an
optional `exception` field and passes `decision()` to its service)."""

from ninja import Schema

from chibo.core.validation import api_code, api_date, api_text
from chibo.findings.models import RecordedException
from chibo.findings.services import Decision


class ExceptionIn(Schema):
    decision_no: api_text(RecordedException, "decision_no", required=True)
    decided_on: api_date()
    decided_by: api_code(required=False) = ""
    note: api_text(RecordedException, "note") = ""

    def decision(self) -> Decision:
        return Decision(decision_no=self.decision_no, decided_on=self.decided_on,
                        decided_by=self.decided_by, note=self.note)


def decision_of(exception: ExceptionIn | None) -> Decision | None:
    return exception.decision() if exception is not None else None
