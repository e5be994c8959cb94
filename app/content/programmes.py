"""Programmes as data (app/content/programmes.yaml): a routine a day, in order, validated
against the routine library on load. A mistake stops the load, naming the programme, the
day and the field."""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app.content.loader import ContentError, _read_yaml

SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


@dataclass(frozen=True)
class ProgrammeDay:
    number: int  # from 1
    routine: str  # a routine's slug
    note: str


@dataclass(frozen=True)
class Programme:
    slug: str
    title: str
    summary: str
    concern: str
    days: tuple[ProgrammeDay, ...]

    def day(self, number: int) -> ProgrammeDay:
        return self.days[number - 1]


def text(raw: dict, key: str, where: str, required: bool = True) -> str:
    value = raw.get(key, "" if not required else None)
    if not isinstance(value, str) or (required and not value.strip()):
        raise ContentError(f"{where}: '{key}' must be {'non-empty ' if required else ''}text")
    return value.strip()


def parse_programme(raw: object, index: int, routines: Mapping[str, str], source: str) -> Programme:
    if not isinstance(raw, dict):
        raise ContentError(f"{source}: programme {index + 1} must be a mapping")
    slug = text(raw, "slug", f"{source}: programme {index + 1}")
    where = f"{source}, programme '{slug}'"
    if not set(slug) <= SLUG_CHARS:
        raise ContentError(f"{where}: 'slug' must be lowercase letters, digits and hyphens")
    raw_days = raw.get("days")
    if not isinstance(raw_days, list) or not raw_days:
        raise ContentError(f"{where}: 'days' must be a non-empty list")
    days = []
    for number, raw_day in enumerate(raw_days, start=1):
        day_where = f"{where}, day {number}"
        if not isinstance(raw_day, dict):
            raise ContentError(f"{day_where}: must be a mapping with 'routine'")
        routine = text(raw_day, "routine", day_where)
        if routine not in routines:
            raise ContentError(f"{day_where}: 'routine' names no routine in the library: {routine}")
        days.append(ProgrammeDay(number, routines[routine], text(raw_day, "note", day_where, required=False)))
    return Programme(slug, text(raw, "title", where), text(raw, "summary", where), text(raw, "concern", where),
                     tuple(days))


def load_programmes(path: Path, routine_slugs: Mapping[str, str]) -> dict[str, Programme]:
    """Every programme by slug, in file order; ContentError on the first problem.
    `routine_slugs` maps every slug a routine answers to (its own and any it had before a
    rename) to its current slug: a programme naming an old one follows the rename."""
    raw = _read_yaml(path)
    if not isinstance(raw, list) or not raw:
        raise ContentError(f"{path.name}: expected a list of programmes")
    programmes: dict[str, Programme] = {}
    for index, item in enumerate(raw):
        programme = parse_programme(item, index, routine_slugs, path.name)
        if programme.slug in programmes:
            raise ContentError(f"{path.name}, programme '{programme.slug}': the slug is used twice")
        programmes[programme.slug] = programme
    return programmes
