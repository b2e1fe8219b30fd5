"""A stated method reading what only another method sets fails on a new object."""

from __future__ import annotations

import ast

from softco.artifacts import PRD
from softco.config import Settings
from softco.events import EventLog
from softco.llm import Gateway, ScriptedTransport
from softco.quality import gates
from softco.quality.unset_attrs import unset_attribute_problems
from softco.workflows.build import write_module
from softco.workflows.design_check import stated_design
from softco.workflows.runtime import Runtime
from softco.workspace.repo import Workspace

CART = (
    "cart.py: class Cart with add(item: str, price: float, qty: int = 1), "
    "apply_discount(percent: float), total() -> float (rounded to 2 decimals)."
)
CACHED_TOTAL = (
    "class Cart:\n"
    "    def __init__(self):\n"
    "        self.items = {}\n\n"
    "    def add(self, item: str, price: float, qty: int = 1):\n"
    "        self.items[item] = {'price': price, 'qty': qty}\n\n"
    "    def apply_discount(self, percent: float):\n"
    "        total = sum(r['price'] * r['qty'] for r in self.items.values())\n"
    "        self._total_value = round(total * (1 - percent / 100), 2)\n\n"
    "    def total(self) -> float:\n"
    "        return self._total_value\n"
)
COMPUTED_TOTAL = (
    "class Cart:\n"
    "    def __init__(self):\n"
    "        self.items = {}\n"
    "        self.percent = 0.0\n\n"
    "    def add(self, item: str, price: float, qty: int = 1):\n"
    "        self.items[item] = {'price': price, 'qty': qty}\n\n"
    "    def apply_discount(self, percent: float):\n"
    "        self.percent = percent\n\n"
    "    def total(self) -> float:\n"
    "        total = sum(r['price'] * r['qty'] for r in self.items.values())\n"
    "        return round(total * (1 - self.percent / 100), 2)\n"
)


def spec():
    design = stated_design(CART)
    assert design is not None
    return design, design.files[0]


def problems(src: str, interface: str | None = None) -> list[str]:
    design = stated_design(interface) if interface else None
    return unset_attribute_problems(ast.parse(src), design.files[0] if design else None)


def test_a_query_returning_what_a_command_cached_is_told_to_compute():
    assert problems(CACHED_TOTAL, CART) == [
        "line 13: Cart.total reads self._total_value, which only apply_discount sets, so "
        "total() on a new Cart raises AttributeError: compute the result in total itself "
        "from the stored state each time it is called, and let apply_discount store only "
        "what that computation needs"
    ]
    assert problems(COMPUTED_TOTAL, CART) == []


def test_a_counter_never_started_gets_a_starting_value():
    game = (
        "class Game:\n"
        "    def __init__(self, secret: int):\n"
        "        self.secret = secret\n\n"
        "    def guess(self, n: int) -> str:\n"
        "        self.attempts += 1\n"
        "        return 'correct' if n == self.secret else 'higher'\n"
    )
    found = problems(game, "g.py: class Game with guess(n: int) -> str.")
    assert found == [
        "line 6: Game.guess reads self.attempts before anything sets it so guess() on a new "
        "Game raises AttributeError: give self.attempts a starting value in __init__"
    ]


def test_attributes_certainly_set_first_are_not_findings():
    setup_helper = (
        "class Game:\n"
        "    def __init__(self):\n"
        "        self.reset()\n\n"
        "    def reset(self):\n"
        "        self.tries = 0\n\n"
        "    def guess(self, n):\n"
        "        self.tries += 1\n"
        "        return self.tries\n"
    )
    set_first = (
        "class Log:\n"
        "    def __init__(self):\n"
        "        self.lines = []\n\n"
        "    def last(self):\n"
        "        self.cache = self.lines[-1:]\n"
        "        return self.cache\n"
    )
    init = "    def __init__(self):\n        pass\n\n"
    based = f"class Cart(Base):\n{init}    def total(self):\n        return self.t\n"
    lazy = (
        "class Cart:\n    def __init__(self):\n        pass\n\n"
        "    def total(self):\n        if not hasattr(self, 't'):\n            self.t = 0\n"
        "        return self.t\n"
    )
    class_level = f"class C:\n    n = 0\n\n{init}    def get(self):\n        return self.n\n"
    private = f"class C:\n{init}    def _get(self):\n        return self.n\n"
    for src in (setup_helper, set_first, based, lazy, class_level, private):
        assert problems(src) == [], src
    # a method the brief never states is not judged when the spec is given
    unstated = CACHED_TOTAL.replace("def total(self)", "def peek(self)")
    assert problems(unstated, CART) == []
    assert len(problems(unstated)) == 1


def test_the_gate_reports_it_and_a_rewrite_bringing_it_in_is_breakage():
    design, file = spec()
    found = gates.check_module(file, CACHED_TOTAL, design)
    assert any("reads self._total_value" in f for f in found)
    assert gates.new_breakage([], found) == [f for f in found if "_total_value" in f]
    assert gates.check_module(file, COMPUTED_TOTAL, design) == []


def test_the_coder_gets_the_finding_and_its_fix_is_kept(tmp_path):
    design, file = spec()
    prd = PRD.model_validate(
        {
            "title": "Cart",
            "summary": "A cart.",
            "goals": ["g"],
            "features": ["f"],
            "user_stories": [
                {
                    "title": "total",
                    "story": "As a shopper, I want a total.",
                    "acceptance": [{"text": "total works"}],
                }
            ],
        }
    )
    transport = ScriptedTransport(
        [f"```python\n{CACHED_TOTAL}```", f"```python\n{COMPUTED_TOTAL}```"]
    )
    settings = Settings.load(memory={"enabled": False})
    rt = Runtime(
        settings=settings,
        llm=Gateway(settings, transport=transport, cache=None),
        events=EventLog(tmp_path, "r"),
        workspace=Workspace(tmp_path / "ws", settings.sandbox),
        run_dir=tmp_path,
        run_id="r",
    )
    write_module(rt, file, design, prd, gen=0, sprint=None)
    reask = transport.requests[1].messages[-1]["content"]
    assert "compute the result in total itself" in reask
    assert (tmp_path / "ws" / "cart.py").read_text() == COMPUTED_TOTAL
