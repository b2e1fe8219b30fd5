"""A caller's handler of a lookup error also catches the error its callee promises."""

from __future__ import annotations

from softco.quality.contracts import promised_catches
from softco.quality.repairs import tidy
from softco.workflows.design_check import stated_design

UNITCONV = (
    "unitconv.py: convert(value: float, src: str, dst: str) -> float for the units m, km "
    "(ValueError for an unknown unit); main(argv: list[str] | None = None) -> int prints the "
    "result, or prints an error and returns 2."
)
CODE = (
    "import sys\n\n"
    "SIZE = {'m': 1.0, 'km': 1000.0}\n\n\n"
    "def convert(value: float, src: str, dst: str) -> float:\n"
    "    if src not in SIZE or dst not in SIZE:\n"
    "        raise ValueError('unknown unit')\n"
    "    return value * SIZE[src] / SIZE[dst]\n\n\n"
    "def main(argv: list[str] | None = None) -> int:\n"
    "    argv = sys.argv[1:] if argv is None else argv\n"
    "    try:\n"
    "        print(convert(float(argv[0]), argv[1], argv[2]))\n"
    "        return 0\n"
    "    except KeyError:\n"
    "        print('unknown unit')\n"
    "        return 2\n"
)


def test_the_promised_error_joins_the_lookup_handler_and_main_returns_2():
    design = stated_design(UNITCONV)
    assert design is not None
    fixed = promised_catches(CODE, design)
    assert "    except (KeyError, ValueError):\n" in fixed
    scope: dict = {}
    exec(compile(tidy(design.files[0], CODE, design), "unitconv.py", "exec"), scope)
    assert scope["main"](["1", "m", "cubit"]) == 2


def test_left_alone_where_it_is_caught_or_nothing_is_promised():
    design = stated_design(UNITCONV)
    assert design is not None
    for handled in ("except (KeyError, ValueError):", "except Exception:", "except ValueError:"):
        code = CODE.replace("except KeyError:", handled)
        assert promised_catches(code, design) == code
    quiet = stated_design("u.py: convert(value: float, src: str, dst: str) -> float; main().")
    assert quiet is not None
    assert promised_catches(CODE, quiet) == CODE
