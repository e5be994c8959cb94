"""The load mix `make bench` drives (bench/mix.py): visitors browsing and following a routine,
members following their evening journey. Proportions and think times: bench/README.md.

Run by bench/mix.py, which names the user classes to run (the mix is Visitor and Member) and
passes what they need in environment variables:
MIX_PLAN (a JSON file: routines with their step counts, and the members' cookies) and
MIX_PACE ("capacity": no think time; "think": 1 to 3 s between journeys like a person;
"rate:<journeys per second per user>": a fixed offered load); MIX_JOURNEYS, a file the
number of journeys run is written to at the end.
"""

import functools
import json
import os
import random
import re
import uuid
from urllib.parse import urlsplit

from locust import FastHttpUser, between, constant, constant_throughput, events, task
from requests.cookies import create_cookie

PLAN = json.loads(open(os.environ["MIX_PLAN"]).read()) if "MIX_PLAN" in os.environ else {"routines": {}}  # noqa: SIM115
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CLIENT_ID = re.compile(r'name="client_id" type="hidden" value="([^"]+)"')
LOG_LINK = re.compile(r'href="/sessions/(\d+)"')
SELECTED = re.compile(r'<option (?:selected value="([^"]+)"|value="([^"]+)" selected)')
GOALS = ("circulation", "tension-relief", "lymphatic-drainage", "puffiness-dark-circles", "muscle-tone")
FILTERS = ("", "?goal=circulation", "?length=quick", "?skin_type=dry", "?goal=tension-relief&length=quick")


JOURNEYS = [0]  # journeys begun in this run, written to MIX_JOURNEYS when it stops


def journey(task_function):
    """Count each run of a journey: a fixed offered load is paced in journeys (bench/mix.py
    turns a rate of requests into one of journeys with the requests a journey makes)."""

    @functools.wraps(task_function)
    def counted(self):
        JOURNEYS[0] += 1
        return task_function(self)

    return counted


@events.test_stop.add_listener
def write_journeys(**_) -> None:
    if "MIX_JOURNEYS" in os.environ:
        with open(os.environ["MIX_JOURNEYS"], "w") as out:
            out.write(str(JOURNEYS[0]))


def pace():
    """The wait between two journeys of one simulated person, from MIX_PACE."""
    setting = os.environ.get("MIX_PACE", "think")
    if setting == "capacity":
        return constant(0)
    if setting.startswith("rate:"):
        return constant_throughput(float(setting.split(":", 1)[1]))
    return between(1, 3)


class Journeys(FastHttpUser):
    abstract = True
    wait_time = pace()

    def routine(self) -> tuple[str, int]:
        slug = random.choice(sorted(PLAN["routines"]))
        return slug, PLAN["routines"][slug]

    def play_through(self, slug: str, steps: int) -> None:
        """The player without JavaScript: the start page, then each step as its own page."""
        self.client.get(f"/routines/{slug}/play", name="/routines/[slug]/play")
        for number in range(1, steps + 1):
            self.client.get(f"/routines/{slug}/play?step={number}", name="/routines/[slug]/play?step=[n]")


class Visitor(Journeys):
    """Someone looking around before (or without) an account."""

    weight = 3

    @task(3)
    @journey
    def browse(self) -> None:
        self.client.get("/", name="/ (visitor)")
        self.client.get("/goals", name="/goals")
        self.client.get(f"/goals/{random.choice(GOALS)}", name="/goals/[slug]")
        self.client.get(f"/routines{random.choice(FILTERS)}", name="/routines?[filters]")
        slug, _ = self.routine()
        self.client.get(f"/routines/{slug}", name="/routines/[slug]")

    @task(1)
    @journey
    def follow_a_routine(self) -> None:
        slug, steps = self.routine()
        self.client.get(f"/routines/{slug}", name="/routines/[slug]")
        self.play_through(slug, steps)

    @task(1)
    @journey
    def read_safety(self) -> None:
        self.client.get("/safety", name="/safety")


class SignedIn(Journeys):
    """Someone already signed in: the cookies of one of MIX_PLAN's `people_key` people."""

    abstract = True
    people_key = "members"

    def on_start(self) -> None:
        person = PLAN[self.people_key][random.randrange(len(PLAN[self.people_key]))]
        host = urlsplit(self.host).hostname
        for name, value in person["cookies"].items():
            self.client.cookiejar.set_cookie(create_cookie(name, value, domain=host))


class Member(SignedIn):
    """A signed-in person: their evening session, logged, then a look at their progress."""

    weight = 2

    @task(2)
    @journey
    def evening_session(self) -> None:
        self.client.get("/", name="/ (signed in)")
        slug, steps = self.routine()
        self.play_through(slug, steps)
        page = self.client.get(f"/routines/{slug}/play/done?spent={steps * 40}",
                               name="/routines/[slug]/play/done").text
        log = {"csrf_token": CSRF.search(page).group(1), "client_id": CLIENT_ID.search(page).group(1),
               "routine": slug, "minutes": "5", "seconds": str(steps * 40), "skin_feel": str(random.randint(1, 5)),
               "discomfort": "no", "discomfort_kind": "", "completed_at": "", "notes": "bench évening"}
        with self.client.post("/sessions/new", data=log, name="POST /sessions/new", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"log answered {response.status_code}")

    @task(2)
    @journey
    def look_at_progress(self) -> None:
        self.client.get("/progress", name="/progress")
        self.client.get("/sessions", name="/sessions")

    @task(1)
    @journey
    def edit_a_log(self) -> None:
        listed = LOG_LINK.findall(self.client.get("/sessions", name="/sessions").text)
        if not listed:
            return
        log_id = listed[0]
        page = self.client.get(f"/sessions/{log_id}/edit", name="/sessions/[id]/edit").text
        token = CSRF.search(page).group(1)
        note = {"csrf_token": token, "client_id": uuid.uuid4().hex}
        # The form as shown, with a new note: what a person changes most.
        fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page))
        fields.update(note, notes="edited in the bench", discomfort="no", discomfort_kind="", skin_feel="4")
        fields["routine"] = next(slug for slug in SELECTED.search(page).groups() if slug)
        with self.client.post(f"/sessions/{log_id}/edit", data=fields, name="POST /sessions/[id]/edit",
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"edit answered {response.status_code}")


class HistoryReader(SignedIn):
    """Someone looking at the pages that read their history (MIX_PLAN's "readers": people
    with 10,000 sessions in `make bench`, a spread of sizes in `make bench-scale`)."""

    weight = 1
    people_key = "readers"

    @task
    @journey
    def today_progress_history(self) -> None:
        self.client.get("/", name="/ (signed in)")
        self.client.get("/progress", name="/progress")
        self.client.get("/sessions", name="/sessions")


class OnePage(SignedIn):
    """One page again and again (MIX_PAGE, as MIX_ROLE: visitor, or reader: a signed-in
    person from "readers"): its CPU cost alone."""

    people_key = "readers"

    def on_start(self) -> None:
        if os.environ.get("MIX_ROLE") == "reader":
            super().on_start()

    @task
    @journey
    def the_page(self) -> None:
        self.client.get(os.environ["MIX_PAGE"], name=os.environ["MIX_PAGE"])


class Ceiling(FastHttpUser):
    """The hello-world ceiling app's one page."""

    wait_time = pace()

    @task
    @journey
    def hello(self) -> None:
        self.client.get("/", name="ceiling /")
