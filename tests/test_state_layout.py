"""A command that takes a key and several values is told to keep a record per key."""

from __future__ import annotations

from softco.artifacts import PRD, FileSpec
from softco.config import Settings
from softco.events import EventLog
from softco.llm import Gateway, ScriptedTransport
from softco.quality.state_layout import layout_rules
from softco.workflows.build import write_module
from softco.workflows.design_check import stated_design
from softco.workflows.runtime import Runtime
from softco.workspace.repo import Workspace

CART = (
    "cart.py: class Cart with add(item: str, price: float, qty: int = 1) (adding an item "
    "again increases its quantity), remove(item: str) (KeyError if absent), "
    "total() -> float (rounded to 2 decimals)."
)
KEEPS_PRICE = (
    "class Cart:\n    def __init__(self):\n        self.items = {}\n\n"
    "    def add(self, item: str, price: float, qty: int = 1):\n"
    "        old = self.items.get(item, {'qty': 0})\n"
    "        self.items[item] = {'price': price, 'qty': old['qty'] + qty}\n\n"
    "    def remove(self, item: str):\n        del self.items[item]\n\n"
    "    def total(self) -> float:\n"
    "        return round(sum(r['price'] * r['qty'] for r in self.items.values()), 2)\n"
)


def spec_of(interface: str) -> FileSpec:
    design = stated_design(interface)
    assert design is not None
    return design.files[0]


def test_a_command_taking_a_key_and_two_values_gets_a_record_layout():
    registry = "reg.py: class Registry with register(name: str, age: int, email: str), n() -> int."
    assert len(layout_rules(spec_of(registry))) == 1
    assert layout_rules(spec_of(CART)) == [
        "Cart.add keeps every argument for the other methods: store one record per item "
        "with a field for each of price, qty, e.g. "
        '`self.items[item] = {"price": price, "qty": qty}` (when the item is already there, '
        "update its record as the interface says), and read those fields in the other methods."
    ]


def test_no_layout_where_a_model_already_writes_the_right_one():
    one_value = "cart.py: class Cart with add(item: str, price: float), total() -> float."
    query = "shop.py: class Shop with price(item: str, qty: int, vat: float) -> float."
    not_a_key = "acct.py: class Acct with move(amount: float, fee: float, n: int), sum() -> float."
    functions = "calc.py: add(item: str, price: float, qty: int) -> float."
    moves = "bank.py: class Bank with transfer(src: str, dst: str, amount: float), sum() -> float."
    setup = "s.py: class S with setup(name: str, a: int, b: int), n() -> int."
    for interface in (one_value, query, not_a_key, functions, moves, setup):
        assert layout_rules(spec_of(interface)) == [], interface


def test_the_first_whole_file_prompt_carries_the_layout_unless_switched_off(tmp_path):
    spec = spec_of(CART)
    design = stated_design(CART)
    prd = PRD.model_validate(
        {
            "title": "Cart",
            "summary": "A cart.",
            "goals": ["g"],
            "features": ["f"],
            "user_stories": [
                {
                    "title": "add",
                    "story": "As a shopper, I want to add items.",
                    "acceptance": [{"text": "adding works"}],
                }
            ],
        }
    )
    for enabled in (True, False):
        transport = ScriptedTransport(default=f"```python\n{KEEPS_PRICE}```")
        settings = Settings.load(memory={"enabled": False}, workflow={"state_layout": enabled})
        run_dir = tmp_path / str(enabled)
        rt = Runtime(
            settings=settings,
            llm=Gateway(settings, transport=transport, cache=None),
            events=EventLog(run_dir, "r"),
            workspace=Workspace(run_dir / "ws", settings.sandbox),
            run_dir=run_dir,
            run_id="r",
        )
        write_module(rt, spec, design, prd, gen=0, sprint=None)
        prompt = transport.requests[0].messages[-1]["content"]
        assert ("store one record per item" in prompt) is enabled
        assert (run_dir / "ws" / "cart.py").read_text() == KEEPS_PRICE
