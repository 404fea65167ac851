"""The API's form of an exception given with an action (a process's endpoint takes it as an
optional `exception` field and passes `decision()` to its service)."""

from datetime import date

from ninja import Schema

from chibo.findings.services import Decision


class ExceptionIn(Schema):
    decision_no: str
    decided_on: date
    decided_by: str = ""
    note: str = ""

    def decision(self) -> Decision:
        return Decision(decision_no=self.decision_no, decided_on=self.decided_on,
                        decided_by=self.decided_by, note=self.note)


def decision_of(exception: ExceptionIn | None) -> Decision | None:
    return exception.decision() if exception is not None else None
