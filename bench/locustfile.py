"""The load mix `make bench` drives (bench/mix.py): visitors browsing and following a routine,
members following their evening journey. Proportions and think times: bench/README.md.

Run by bench/mix.py, which names the user classes to run (the mix is Visitor and Member) and
passes what they need in environment variables:
MIX_PLAN (a JSON file: routines with their step counts, and the members' cookies) and
MIX_PACE ("capacity": no think time; "think": 1 to 3 s between journeys like a person;
"reading:<seconds>": a pause after every page, drawn from an exponential distribution with
that mean, so that a number of people makes a fixed offered load of roughly one request per
person per mean), and MIX_TRACE (a file to write every request to, for bench/steadiness.py).

Paced people (not "capacity") arrive at a random moment in their first few seconds, as people
do: starting all of them in the same second would measure a burst no server sees.
"""

import json
import os
import random
import re
import uuid
from urllib.parse import urlsplit

import gevent
from locust import FastHttpUser, between, constant, events, task
from requests.cookies import create_cookie

PLAN = json.loads(open(os.environ["MIX_PLAN"]).read()) if "MIX_PLAN" in os.environ else {"routines": {}}  # noqa: SIM115
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CLIENT_ID = re.compile(r'name="client_id" type="hidden" value="([^"]+)"')
LOG_LINK = re.compile(r'href="/sessions/(\d+)"')
SELECTED = re.compile(r'<option (?:selected value="([^"]+)"|value="([^"]+)" selected)')
GOALS = ("circulation", "tension-relief", "lymphatic-drainage", "puffiness-dark-circles", "muscle-tone")
FILTERS = ("", "?goal=circulation", "?length=quick", "?skin_type=dry", "?goal=tension-relief&length=quick")


PACE = os.environ.get("MIX_PACE", "think")
READING_S = float(PACE.split(":", 1)[1]) if PACE.startswith("reading:") else 0.0  # mean pause after a page


if "MIX_TRACE" in os.environ:
    TRACE = open(os.environ["MIX_TRACE"], "w")  # noqa: SIM115 (closed when Locust quits)

    @events.request.add_listener
    def trace(name: str, response_time: float, start_time: float, **_) -> None:
        """One line a request: "<start, Unix seconds> <ms> <name>" (bench.steadiness.read_trace)."""
        TRACE.write(f"{start_time:.4f} {response_time:.1f} {name}\n")

    events.quitting.add_listener(lambda **_: TRACE.close())


def pace():
    """The wait between two journeys of one simulated person, from MIX_PACE (when people
    read every page, the pause after a journey's last page is that wait)."""
    if PACE == "capacity" or READING_S:
        return constant(0)
    return between(1, 3)


def read_page() -> None:
    """The pause after a page while someone reads it (nothing unless MIX_PACE is "reading")."""
    if READING_S:
        gevent.sleep(random.expovariate(1 / READING_S))


class Journeys(FastHttpUser):
    abstract = True
    wait_time = pace()

    def on_start(self) -> None:
        if PACE != "capacity":
            gevent.sleep(random.uniform(0, 2 * READING_S if READING_S else 3))

    def get(self, path: str, name: str):
        response = self.client.get(path, name=name)
        read_page()
        return response

    def post(self, path: str, data: dict, name: str) -> None:
        """A form sent as a browser would; anything but the redirect that stores it is a failure."""
        with self.client.post(path, data=data, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"{name} answered {response.status_code}")
        read_page()

    def routine(self) -> tuple[str, int]:
        slug = random.choice(sorted(PLAN["routines"]))
        return slug, PLAN["routines"][slug]

    def play_through(self, slug: str, steps: int) -> None:
        """The player without JavaScript: the start page, then each step as its own page."""
        self.get(f"/routines/{slug}/play", name="/routines/[slug]/play")
        for number in range(1, steps + 1):
            self.get(f"/routines/{slug}/play?step={number}", name="/routines/[slug]/play?step=[n]")


class Visitor(Journeys):
    """Someone looking around before (or without) an account."""

    weight = 3

    @task(3)
    def browse(self) -> None:
        self.get("/", name="/ (visitor)")
        self.get("/goals", name="/goals")
        self.get(f"/goals/{random.choice(GOALS)}", name="/goals/[slug]")
        self.get(f"/routines{random.choice(FILTERS)}", name="/routines?[filters]")
        slug, _ = self.routine()
        self.get(f"/routines/{slug}", name="/routines/[slug]")

    @task(1)
    def follow_a_routine(self) -> None:
        slug, steps = self.routine()
        self.get(f"/routines/{slug}", name="/routines/[slug]")
        self.play_through(slug, steps)

    @task(1)
    def read_safety(self) -> None:
        self.get("/safety", name="/safety")


class SignedIn(Journeys):
    """Someone already signed in: the cookies of one of MIX_PLAN's `people_key` people."""

    abstract = True
    people_key = "members"

    def on_start(self) -> None:
        super().on_start()
        person = PLAN[self.people_key][random.randrange(len(PLAN[self.people_key]))]
        host = urlsplit(self.host).hostname
        for name, value in person["cookies"].items():
            self.client.cookiejar.set_cookie(create_cookie(name, value, domain=host))


class Member(SignedIn):
    """A signed-in person: their evening session, logged, then a look at their progress."""

    weight = 2

    @task(2)
    def evening_session(self) -> None:
        self.get("/", name="/ (signed in)")
        slug, steps = self.routine()
        self.play_through(slug, steps)
        page = self.get(f"/routines/{slug}/play/done?spent={steps * 40}", name="/routines/[slug]/play/done").text
        log = {"csrf_token": CSRF.search(page).group(1), "client_id": CLIENT_ID.search(page).group(1),
               "routine": slug, "minutes": "5", "seconds": str(steps * 40), "skin_feel": str(random.randint(1, 5)),
               "discomfort": "no", "discomfort_kind": "", "completed_at": "", "notes": "bench évening"}
        self.post("/sessions/new", data=log, name="POST /sessions/new")

    @task(2)
    def look_at_progress(self) -> None:
        self.get("/progress", name="/progress")
        self.get("/sessions", name="/sessions")

    @task(1)
    def edit_a_log(self) -> None:
        listed = LOG_LINK.findall(self.get("/sessions", name="/sessions").text)
        if not listed:
            return
        log_id = listed[0]
        page = self.get(f"/sessions/{log_id}/edit", name="/sessions/[id]/edit").text
        token = CSRF.search(page).group(1)
        note = {"csrf_token": token, "client_id": uuid.uuid4().hex}
        # The form as shown, with a new note: what a person changes most.
        fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page))
        fields.update(note, notes="edited in the bench", discomfort="no", discomfort_kind="", skin_feel="4")
        fields["routine"] = next(slug for slug in SELECTED.search(page).groups() if slug)
        self.post(f"/sessions/{log_id}/edit", data=fields, name="POST /sessions/[id]/edit")


class HistoryReader(SignedIn):
    """Someone looking at the pages that read their history (MIX_PLAN's "readers": people
    with 10,000 sessions in `make bench`, a spread of sizes in `make bench-scale`)."""

    weight = 1
    people_key = "readers"

    @task
    def today_progress_history(self) -> None:
        self.get("/", name="/ (signed in)")
        self.get("/progress", name="/progress")
        self.get("/sessions", name="/sessions")


class OnePage(SignedIn):
    """One page again and again (MIX_PAGE, as MIX_ROLE: visitor, or reader: a signed-in
    person from "readers"): its CPU cost alone."""

    people_key = "readers"

    def on_start(self) -> None:
        if os.environ.get("MIX_ROLE") == "reader":
            super().on_start()

    @task
    def the_page(self) -> None:
        self.client.get(os.environ["MIX_PAGE"], name=os.environ["MIX_PAGE"])


class Ceiling(FastHttpUser):
    """The hello-world ceiling app's one page."""

    wait_time = pace()

    @task
    def hello(self) -> None:
        self.client.get("/", name="ceiling /")
