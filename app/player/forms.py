"""Today's skin check: tick boxes from the safety copy, and where on the face."""

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import Optional

from app.content.loader import ZONE_LABELS, ZONES
from app.form_helpers import CheckboxListField, options
from app.player.plan import SkinFlag

FACE_AREAS = options((zone, ZONE_LABELS[zone]) for zone in ZONES if zone != "full-face")


class SkinCheckForm(FlaskForm):
    """A GET form (no CSRF): it only shapes the session, and its answers travel in the URL."""

    class Meta:
        csrf = False

    @classmethod
    def for_checks(cls, checks: list[dict], formdata):
        """A form class with one box per check, plus the areas for checks that ask where."""

        class Form(cls):
            pass

        for check in checks:
            setattr(Form, check["id"], BooleanField(check["label"]))
            if check["zoned"]:
                areas = CheckboxListField("Where?", choices=FACE_AREAS, validators=[Optional()])
                setattr(Form, zones_field(check), areas)
        form = Form(formdata=formdata)
        form.checks = checks
        return form

    def flags(self) -> list[SkinFlag]:
        """The ticked checks; a zoned check with no area chosen counts for the whole face."""
        flags = []
        for check in self.checks:
            if not self[check["id"]].data:
                continue
            zones = frozenset(self[zones_field(check)].data or ()) if check["zoned"] else frozenset()
            flags.append(SkinFlag(check["id"], check["label"], check["effect"], zones))
        return flags

    def answered_args(self) -> dict[str, list[str]]:
        """The answers as query parameters, to carry from step to step."""
        args: dict[str, list[str]] = {}
        for flag in self.flags():
            args[flag.check_id] = ["y"]
            if flag.zones:
                args[f"{flag.check_id}_zones"] = sorted(flag.zones)
        return args


def zones_field(check: dict) -> str:
    return f"{check['id']}_zones"
