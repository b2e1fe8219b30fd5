"""A class's cases written as a script become independent tests with their objects made."""

from __future__ import annotations

import subprocess
import sys

import pytest

from softco.artifacts import FileSpec
from softco.artifacts.cases import CallCase
from softco.artifacts.stated import stated_interface
from softco.quality.case_script import bare_classes, script_setup
from softco.quality.case_tests import case_tests
from softco.roles.schemas import TestCases

BRIEF = (
    "cart.py: class Cart with add(item: str, price: float, qty: int = 1), count() -> int, "
    "total() -> float. game.py: class GuessGame(secret: int) with guess(n: int) -> str "
    "(ValueError for a secret below 1). table.py: class Board with place(cell: int); "
    "class Game(board: Board) with turn() -> str."
)
STATED = stated_interface(BRIEF)
GOOD_CART = """\
class Cart:
    def __init__(self):
        self.items = {}

    def add(self, item, price, qty=1):
        old = self.items.get(item, (price, 0))
        self.items[item] = (price, old[1] + qty)

    def count(self):
        return sum(q for _, q in self.items.values())

    def total(self):
        return round(sum(p * q for p, q in self.items.values()), 2)
"""
GOOD_GAME = """\
class GuessGame:
    def __init__(self, secret):
        if secret < 1:
            raise ValueError(secret)
        self.secret = secret

    def guess(self, n):
        if n == self.secret:
            return "correct"
        return "higher" if n < self.secret else "lower"
"""


def spec(path: str) -> FileSpec:
    return FileSpec(path=path, responsibility=path, interface=STATED[path])


def case(call: str, expected, setup=()) -> dict:
    return {"behaviour": "works", "call": call, "expected": expected, "setup": list(setup)}


def calls(*items: dict) -> list[CallCase]:
    return list(TestCases.model_validate({"cases": list(items)}).cases)


def pytest_in(root, files: dict[str, str]) -> subprocess.CompletedProcess:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_method_on_its_class_or_on_an_unmade_object_gets_one_and_commands_carry(tmp_path):
    suite = case_tests(
        TestCases.model_validate(
            {
                "cases": [
                    case("Cart.count()", "0"),  # the method called on the class
                    case("cart.add('tea', 0.5, 3)", None),  # a command: nothing to check
                    case("cart.total()", "1.5"),  # needs the tea added before
                    case("cart.count()", "3"),
                ]
            }
        ),
        spec("cart.py"),
    )
    assert suite.kept == 4, suite.dropped
    assert "Cart.count()" not in suite.content
    good = pytest_in(tmp_path / "ok", {"cart.py": GOOD_CART, "tests/test_cart.py": suite.content})
    assert good.returncode == 0, good.stdout
    wrong = GOOD_CART.replace("p * q", "q")  # the price dropped
    bad = pytest_in(tmp_path / "bad", {"cart.py": wrong, "tests/test_cart.py": suite.content})
    assert "1 failed, 3 passed" in bad.stdout


def test_a_value_expected_of_a_stated_command_is_checked_as_the_command(tmp_path):
    # cart, session 9: every case began `cart.add('apple', 0.5) == 0.5`, though the
    # brief gives add() no return value beside count() -> int and total() -> float
    suite = case_tests(
        TestCases.model_validate(
            {
                "cases": [
                    case("cart.add('apple', 0.5, 4)", "2.0"),
                    case("cart.add('pear', 1.25)", 1.25),
                    case("cart.total()", "3.25"),
                    case("cart.add('tea', -1.0)", "raises ValueError"),  # left as written
                ]
            }
        ),
        spec("cart.py"),
    )
    assert "cart.add('apple', 0.5, 4) is None" in suite.content
    assert "checked as a command" in " ".join(suite.dropped)
    good = pytest_in(tmp_path / "ok", {"cart.py": GOOD_CART, "tests/test_cart.py": suite.content})
    assert "1 failed, 3 passed" in good.stdout  # GOOD_CART does not refuse a negative price
    wrong = GOOD_CART.replace("p * q", "q")  # the price dropped: total() notices
    bad = pytest_in(tmp_path / "bad", {"cart.py": wrong, "tests/test_cart.py": suite.content})
    assert "2 failed, 2 passed" in bad.stdout
    # a class whose brief states no return type at all says nothing about add()
    bare = FileSpec(
        path="bag.py",
        responsibility="bag",
        interface=stated_interface("bag.py: class Bag with add(item: str), size().")["bag.py"],
    )
    plain, notes = script_setup(calls(case("bag.add('x')", "1")), bare)
    assert plain[0].expected == "1" and not notes


def test_a_game_made_in_one_case_is_made_again_for_each_later_check(tmp_path):
    suite = case_tests(
        TestCases.model_validate(
            {
                "cases": [
                    case("game = GuessGame(50)", "None"),
                    case("game.guess(50)", "correct"),  # plain text: guess() -> str
                    case("game.guess(25)", "higher"),  # a query: not replayed
                    case("game = GuessGame(0)", "raises ValueError"),
                    case("game.guess(75)", "lower"),  # still the game of 50
                ]
            }
        ),
        spec("game.py"),
    )
    assert suite.kept == 4, suite.dropped
    assert suite.content.count("game = GuessGame(50)") == 3
    assert "with pytest.raises(ValueError):\n        GuessGame(0)" in suite.content
    assert "makes an object" in " ".join(suite.dropped)
    run = pytest_in(tmp_path, {"game.py": GOOD_GAME, "tests/test_game.py": suite.content})
    assert run.returncode == 0, run.stdout


def test_an_object_made_inside_the_call_is_setup_and_the_check_stays(tmp_path):
    """guess, session 13: 'game = GuessGame(50); game.guess(30)' was left out as not parsing."""
    suite = case_tests(
        TestCases.model_validate(
            {
                "cases": [
                    case("game = GuessGame(50); game.guess(30)", "higher"),
                    case("game = GuessGame(50)\ngame.guess(70)", "lower"),
                    case("game.guess(50)", "correct", setup=["game = GuessGame(50)"]),
                ]
            }
        ),
        spec("game.py"),
    )
    assert suite.kept == 3, suite.dropped
    assert "game.guess(30) == 'higher'" in suite.content
    run = pytest_in(tmp_path, {"game.py": GOOD_GAME, "tests/test_game.py": suite.content})
    assert run.returncode == 0 and "3 passed" in run.stdout, run.stdout
    five = CallCase(
        behaviour="b", setup=["a = 1", "b = 2"], call="c = 3; d = 4; e = 5; f(a)", expected=1
    )
    assert five.call.startswith("c = 3")  # would not fit setup's four statements: left as written
    assert CallCase.model_validate(five.model_dump()) == five
    wrong = GOOD_GAME.replace('"higher" if', '"lower" if')
    run = pytest_in(tmp_path, {"game.py": wrong, "tests/test_game.py": suite.content})
    assert "1 failed, 2 passed" in run.stdout, run.stdout


def test_objects_are_made_in_script_order_with_what_they_are_made_from():
    scripted, _ = script_setup(
        calls(
            case("board = Board()", "None"),
            case("game = Game(board)", "None"),
            case("game.turn()", "'X'"),
        ),
        spec("table.py"),
    )
    assert [(c.setup, c.call) for c in scripted] == [
        (["board = Board()", "game = Game(board)"], "game.turn()")
    ]


def test_a_class_needing_arguments_is_never_guessed_at():
    assert bare_classes(spec("cart.py")) == {"Cart": "Cart()"}
    assert bare_classes(spec("game.py")) == {}
    assert "Game" not in bare_classes(spec("table.py"))
    left = case_tests(
        TestCases.model_validate({"cases": [case("game.guess(5)", "'higher'")]}), spec("game.py")
    )
    assert left.kept == 0 and "undefined game" in " ".join(left.dropped)
    listed = stated_interface("g.py: class G with __init__(seed: int), roll() -> int.")
    assert bare_classes(FileSpec(path="g.py", responsibility="g", interface=listed["g.py"])) == {}


@pytest.mark.parametrize(
    "call",
    ["x = " + "1+" * 400 + "1", "cart.add(" * 200, "total = cart.total()"],
)
def test_odd_script_statements_go_on_to_the_checks_unchanged(call):
    scripted, _ = script_setup(calls(case(call, "None")), spec("cart.py"))
    assert [c.call for c in scripted] in ([call], [])


def test_what_a_step_needed_comes_with_it_and_unfit_or_repeated_commands_do_not():
    scripted, _ = script_setup(
        calls(
            case("game = GuessGame(secret)", "None", setup=["secret = 50"]),
            case("GuessGame.guess(50)", "correct"),  # on the class: the script's game
        ),
        spec("game.py"),
    )
    assert [(c.setup, c.call) for c in scripted] == [
        (["secret = 50", "game = GuessGame(secret)"], "game.guess(50)")
    ]
    scripted, _ = script_setup(
        calls(
            case("cart.add('tea')", None),  # no price: does not fit add(), not replayed
            case("cart.add('tea', 0.5)", None),
            case("cart.total()", "0.5", setup=["cart.add('tea', 0.5)"]),  # repeats the command
            case("Cart.add(item, 2.0)", None, setup=["item = 'pen'"]),
            case("len(cart)", "1"),  # not a method call: nothing guessed for it
        ),
        spec("cart.py"),
    )
    setups = {c.call: c.setup for c in scripted}
    assert setups["cart.total()"] == ["cart = Cart()", "cart.add('tea', 0.5)"]
    assert setups["cart.add(item, 2.0)"] == [
        "cart = Cart()",
        "cart.add('tea', 0.5)",
        "item = 'pen'",
    ]
    assert setups["len(cart)"] == [
        "cart = Cart()",
        "cart.add('tea', 0.5)",
        "item = 'pen'",
        "cart.add(item, 2.0)",
    ]
    alone, _ = script_setup(calls(case("len(cart)", "0")), spec("cart.py"))
    assert alone[0].setup == []  # cart is no receiver here: nothing is made for it


def test_calls_qualified_with_the_module_name_are_kept_as_plain_calls():
    spec = FileSpec(
        path="unitconv.py",
        responsibility="convert",
        interface=[{"signature": "def convert(value: float, src: str, dst: str) -> float"}],
    )
    cases = TestCases(
        cases=[
            CallCase(behaviour="km to m", call="unitconv.convert(2, 'km', 'm')", expected=2000.0),
            CallCase(
                behaviour="bad unit",
                setup=["unit = 'parsec'"],
                call="unitconv.convert(1, unit, 'm')",
                expected="raises ValueError",
            ),
            # another module's attribute is not this module's name: still undefined
            CallCase(behaviour="other", call="math.floor(convert(1, 'm', 'm'))", expected=1),
        ]
    )
    suite = case_tests(cases, spec)
    assert "assert convert(2, 'km', 'm') == pytest.approx(2000.0)" in suite.content
    assert "convert(1, unit, 'm')" in suite.content and "unitconv.convert" not in suite.content
    assert any("uses undefined math" in note for note in suite.dropped)


def test_qualified_main_calls_become_cli_checks_and_module_named_variables_stay():
    spec = FileSpec(
        path="textstats/cli.py",
        responsibility="cli",
        interface=[
            {"signature": "def main(argv: list[str] | None = None) -> int"},
            {"signature": "def count(text: str) -> int"},
        ],
    )
    cases = TestCases(
        cases=[
            CallCase(behaviour="missing file", call="cli.main(['missing.txt'])", expected=1),
            # a variable named like the module is the case's own, not the module
            CallCase(behaviour="own", setup=["cli = Helper()"], call="cli.count('x')", expected=1),
            # too deep for the parser: dropped, never a crash
            CallCase(behaviour="deep", call="cli.count(" + "1+" * 3000 + "1)", expected=1),
        ]
    )
    suite = case_tests(cases, spec)
    # the brief names no exit code: a failing command line is expected to fail, no more
    assert suite.content is not None and "_exit_code(main, ['missing.txt']) != 0" in suite.content
    assert "cli.main" not in suite.content
    # kept as written (and dropped for its own undefined Helper), not turned into count('x')
    assert any("cli.count('x')" in n and "uses undefined Helper" in n for n in suite.dropped)


def test_module_prefixes_are_cut_from_the_text_and_bound_names_are_left():
    from softco.quality.case_checks import unqualified

    spec = FileSpec(
        path="cart.py",
        responsibility="cart",
        interface=[
            {"signature": "class Cart", "docstring": "Methods:\n  total() -> float: sum"},
            {"signature": "def total(x: int) -> int"},
        ],
    )
    block = CallCase(
        behaviour="block",
        setup=["carts = []", "for i in range(2):", "    carts.append(cart.Cart())"],
        call="len(carts)",
        expected=2,
    )
    assert unqualified(block, spec).setup == [
        "carts = []",
        "for i in range(2):",
        "    carts.append(Cart())",
    ]
    loop = CallCase(
        behaviour="loop",
        setup=["for cart in [Cart()]:", "    x = cart.total()"],
        call='cart.total() + cart.total(x)  # "cart.total"',
        expected=0,
    )
    assert unqualified(loop, spec) == loop  # ``cart`` is the case's own variable here
    comprehension = CallCase(
        behaviour="c", call="[cart.total() for cart in [Cart()]]", expected=[0.0]
    )
    assert unqualified(comprehension, spec) == comprehension


CART_BRIEF = (
    "cart.py: class Cart with add(item: str, price: float, qty: int = 1) (adding an item again "
    "increases its quantity; ValueError for a negative price or qty < 1), remove(item: str) "
    "(KeyError if absent), count() -> int (total quantity), apply_discount(percent: float) "
    "(0..100, ValueError otherwise), total() -> float (rounded to 2 decimals)."
)
CHECKED_CART = GOOD_CART.replace(
    "    def add(self, item, price, qty=1):\n",
    "    def add(self, item, price, qty=1):\n"
    "        if price < 0 or qty < 1:\n            raise ValueError(item)\n",
) + (
    "\n    def apply_discount(self, percent):\n"
    "        if not 0 <= percent <= 100:\n            raise ValueError(percent)\n"
)
LAX_CART = GOOD_CART + "\n    def apply_discount(self, percent):\n        self.off = percent\n"


def test_a_call_the_interface_bounds_out_is_checked_as_raising_and_never_replayed(tmp_path):
    # cart, session 13: add('orange', 3.5, 0) expected 3.5 became a command replayed before
    # every later check, so right code (refusing qty 0) failed all of them
    stated = FileSpec(
        path="cart.py", responsibility="cart", interface=stated_interface(CART_BRIEF)["cart.py"]
    )
    suite = case_tests(
        TestCases.model_validate(
            {
                "cases": [
                    case("cart.add('apple', 2.0, 3)", "6.0"),
                    case("cart.add('orange', 3.5, 0)", "3.5"),
                    case("cart.apply_discount(150)", "None"),
                    case("cart.total()", "6.0"),
                ]
            }
        ),
        stated,
    )
    assert suite.content is not None
    assert "with pytest.raises(ValueError):\n        cart.add('orange', 3.5, 0)" in suite.content
    assert "with pytest.raises(ValueError):\n        cart.apply_discount(150)" in suite.content
    total = suite.content.split("cart.total()")[0].rsplit("def ", 1)[1]
    assert "'orange'" not in total and "cart.add('apple', 2.0, 3)" in total
    assert any("checked as raising ValueError" in note for note in suite.dropped)
    good = pytest_in(tmp_path / "ok", {"cart.py": CHECKED_CART, "tests/test_c.py": suite.content})
    assert "4 passed" in good.stdout, good.stdout
    # code that checks neither qty nor percent fails exactly the two raising checks
    lax = pytest_in(tmp_path / "lax", {"cart.py": LAX_CART, "tests/test_c.py": suite.content})
    assert "2 failed, 2 passed" in lax.stdout  # add(qty 0) and apply_discount(150)


@pytest.mark.parametrize(
    ("clause", "args", "raises"),
    [
        ("ValueError for a negative price or qty < 1", {"price": 1.0, "qty": 0}, "ValueError"),
        ("ValueError for a negative price or qty < 1", {"price": -0.5, "qty": 2}, "ValueError"),
        ("ValueError for a negative price or qty < 1", {"price": 0.0, "qty": 1}, None),
        ("for 1..3999 (ValueError otherwise)", {"n": 4000}, "ValueError"),
        ("for 1..3999 (ValueError otherwise)", {"n": 1}, None),
        ("percent between 0 and 100, ValueError otherwise", {"percent": -1}, "ValueError"),
        ("ValueError if width is less than 1", {"width": 0}, "ValueError"),
        ("ValueError if n is negative", {"n": -2}, "ValueError"),
        ("ValueError for an unknown unit", {"unit": "parsec"}, None),  # says nothing here
        ("for 1..3999 (ValueError otherwise)", {"n": 5, "m": 7}, None),  # which number?
        ("ValueError for a negative price", {"price": "cheap"}, None),  # not a number
        ("celsius -50..50, ValueError otherwise", {"celsius": 10}, None),  # the sign is kept
        ("celsius -50..50, ValueError otherwise", {"celsius": -60}, "ValueError"),
        # a range bounding something other than an argument says nothing of the call
        ("returns the average 0..100, ValueError otherwise", {"score": 150}, None),
        ("a name of 1..20 chars, ValueError otherwise", {"price": 25.0}, None),  # a unit word
        ("percent must be in 0..100, ValueError otherwise", {"percent": 101}, "ValueError"),
        # the parameter named before the range is the one bounded, whatever else is a number
        ("percent 0..100, ValueError otherwise", {"x": 500, "percent": 50}, None),
        ("percent 0..100, ValueError otherwise", {"x": 5, "percent": 150}, "ValueError"),
    ],
)
def test_bounds_on_numeric_arguments_say_which_calls_raise(clause, args, raises):
    from softco.quality.clauses import stated_clauses

    answers = {c.raises(args) for c in stated_clauses(clause)}
    assert (raises in answers) if raises else answers <= {None}
