"""A short load-and-kill run of the production configuration: nothing acknowledged is lost."""

from bench.loadtest import passed, run
from tests.conftest import sqlite_only


@sqlite_only
def test_short_load_run_with_a_killed_worker_loses_nothing():
    result = run(seconds=10, clients=16, workers=2)
    assert result["killed_worker"], "a worker should have been killed part-way"
    assert result["server_errors"] == []
    assert result["missing"] == [] and result["doubled"] == []
    assert result["integrity"] == "ok"
    assert result["acknowledged"] > 50, result
    assert result["stored"] >= result["acknowledged"]
    assert passed(result)
