"""A command's Context reads the state file once while it stays the same."""

from eng28 import store
from eng28.models import PlanState, State
from eng28.usecases.context import open_context


def test_the_state_is_read_once_until_it_changes(monkeypatch):
    ctx = open_context()
    assert ctx.load_file() == State()  # no file yet: nothing is kept
    store.save_state(ctx.state_path, State(plans={ctx.plan_id: PlanState(title="one")}))
    first = ctx.load_file()
    reads = []
    with monkeypatch.context() as patched:
        patched.setattr(store, "load_state", lambda *a: reads.append(a) or State())
        assert ctx.load_file() is first and ctx.load_state().title == "one"
    assert reads == []
    with ctx.transaction() as mine:  # a transaction reads afresh, and its save is seen
        mine.title = "two"
    assert ctx.load_state().title == "two"


def test_without_a_config_file_the_config_is_the_models_defaults():
    # load_config skips validating the defaults; they must be exactly what Config() gives.
    from eng28 import config as cfg
    from eng28.models import Config

    loaded = cfg.load_config()
    assert not cfg.config_path().exists()
    assert loaded == Config() and loaded.model_fields_set == Config().model_fields_set == set()
    assert loaded.model_dump() == Config().model_dump() and repr(loaded) == repr(Config())
