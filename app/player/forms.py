"""Today's skin check: one question per check in the safety copy, and where on the face."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField
from wtforms.validators import Optional

from app.content.loader import FACE_ZONES, ZONE_LABELS
from app.form_helpers import CheckboxListField, options
from app.player.plan import SkinAnswer, answers_as_args

FACE_AREAS = options((zone, ZONE_LABELS[zone]) for zone in FACE_ZONES)


class SkinCheckForm(FlaskForm):
    """A GET form (no CSRF): it only shapes the session, and its answers travel in the URL."""

    class Meta:
        csrf = False

    @classmethod
    def for_checks(cls, checks: list[dict], formdata, time_ranges: dict[str, str] | None = None):
        """A form class with one question per check: a tick, or for a time-limited check a
        time range ("No" first); plus the areas for checks that ask where."""

        class Form(cls):
            pass

        for check in checks:
            if check["asks"] == "when":
                ranges = time_ranges or {}
                choices = [("", "No")] + [(name, ranges.get(name, name)) for name in (*check["when"], "older")]
                question = SelectField(check["label"], choices=options(choices), validators=[Optional()])
                setattr(Form, check["id"], question)
            else:
                setattr(Form, check["id"], BooleanField(check["label"]))
            if check["zoned"]:
                areas = CheckboxListField("Where?", choices=FACE_AREAS, validators=[Optional()])
                setattr(Form, zones_field(check), areas)
        form = Form(formdata=formdata)
        form.checks = checks
        return form

    def flags(self) -> list[SkinAnswer]:
        """The answers given; a check that asks where with no area chosen counts for the whole face."""
        answers = []
        for check in self.checks:
            value = self[check["id"]].data
            if not value:
                continue
            zones = frozenset(self[zones_field(check)].data or ()) if check["zoned"] else frozenset()
            answers.append(SkinAnswer(check["id"], zones, value if check["asks"] == "when" else ""))
        return answers

    def answered_args(self) -> dict[str, list[str]]:
        """The answers as query parameters, to carry from step to step."""
        return answers_as_args(self.flags())

    def stored_answers(self, today: date) -> dict:
        """The answers as the profile keeps them (see `plan.answers_from_stored`): areas, and
        for a time-limited answer its range and the day it was given, so it can lapse."""
        stored: dict = {}
        for answer in self.flags():
            zones = sorted(answer.zones)
            stored[answer.check_id] = (
                {"zones": zones, "when": answer.when, "answered_on": today.isoformat()} if answer.when else zones
            )
        return stored


def zones_field(check: dict) -> str:
    return f"{check['id']}_zones"
