"""The end-to-end suite under pytest (Debian's python3-pytest): real `treue serve`
processes on 127.0.0.1, HAProxy, websockify and headless Chromium.

    python3 -m pytest Tests/EndToEnd Tests/browser --treue .build/debug/treue

Each test is one result. Tests in the protocol suites are plain functions marked with
`harness.test` (collected below, whatever their names); the scenario suites (HAProxy,
widget, review report) run their scenario once per module in a fixture and report each
check as a test of its own."""
import inspect
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "EndToEnd"))
sys.path.insert(0, os.path.join(HERE, "browser"))

import harness  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--treue", default=os.path.join(ROOT, ".build", "debug", "treue"),
                     help="the treue binary to test (default .build/debug/treue)")


def pytest_configure(config):
    harness.SETTINGS["treue"] = os.path.abspath(config.getoption("--treue"))
    os.chdir(ROOT)


def pytest_pycollect_makeitem(collector, name, obj):
    """Functions marked with `harness.test` are tests, in the order they are written."""
    if inspect.isfunction(obj) and getattr(obj, "treue_test", False):
        return pytest.Function.from_parent(collector, name=name)
    return None


@pytest.fixture(scope="module")
def server():
    """One `treue serve` shared by the tests of a module that only talk to it (each in its
    own session, so they cannot disturb one another)."""
    shared = harness.Server()
    yield shared
    shared.stop()


@pytest.fixture(scope="session")
def treue_binary():
    return harness.SETTINGS["treue"]
