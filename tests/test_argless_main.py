"""A ``main(argv)`` the interface states as ``main()`` reads sys.argv inside."""

from __future__ import annotations

from softco.quality import gates
from softco.quality.argless_main import argless_main
from softco.quality.repairs import tidy
from softco.workflows.design_check import stated_design

GUESS = (
    "guess.py: class GuessGame(secret: int) with guess(n: int) -> str; "
    "main() plays an interactive game using input()."
)


def design_and_spec():
    design = stated_design(GUESS)
    assert design is not None
    return design, design.files[0]


def test_an_unused_argv_goes_and_the_script_guard_calls_main_plainly():
    design, spec = design_and_spec()
    code = (
        "import sys\n\n\n"
        "class GuessGame:\n"
        "    def __init__(self, secret: int):\n        self.secret = secret\n\n"
        "    def guess(self, n: int) -> str:\n"
        "        return 'correct' if n == self.secret else 'higher'\n\n\n"
        "def main(argv=None):\n"
        "    game = GuessGame(7)\n"
        "    print(game.guess(int(input())))\n\n\n"
        "if __name__ == '__main__':\n"
        "    main(sys.argv[1:])\n"
    )
    assert any("does not match the interface" in p for p in gates.check_module(spec, code, design))
    fixed = argless_main(spec, code)
    assert "def main():" in fixed and "    main()\n" in fixed
    assert "argv" not in fixed
    assert gates.check_module(spec, tidy(spec, code, design), design) == []


def test_a_read_argv_is_taken_from_sys_argv_after_the_docstring():
    _, spec = design_and_spec()
    code = 'def main(argv):\n    """Play."""\n    if argv:\n        print(argv[0])\n'
    assert argless_main(spec, code) == (
        'def main():\n    """Play."""\n    argv = sys.argv[1:]\n'
        "    if argv:\n        print(argv[0])\n"
    )
    whole = "def main(args=sys.argv):\n    print(args[1])\n"
    assert argless_main(spec, whole) == "def main():\n    args = sys.argv\n    print(args[1])\n"


def test_left_alone_where_the_interface_takes_argv_or_the_header_is_unusual():
    _, spec = design_and_spec()
    two = "def main(a, b):\n    return a\n"
    one_liner = "def main(argv): return argv\n"
    for code in (two, one_liner):
        assert argless_main(spec, code) == code
    cli = stated_design("c.py: main(argv: list[str] | None = None) -> int prints.")
    assert cli is not None
    code = "def main(argv=None):\n    return 0\n"
    assert argless_main(cli.files[0], code) == code
