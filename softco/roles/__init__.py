"""The roles: small modules that turn artifacts into artifacts through one LLM call each.

Import a role module and call its functions with a :class:`RoleContext`::

    from softco.roles import RoleContext, pm
    prd = pm.write_prd(RoleContext(llm=llm, settings=settings), brief)
"""

from __future__ import annotations

from softco.roles import architect, coder, critic, judge, pm, reviewer, tester
from softco.roles.base import RoleContext, ask, render
from softco.roles.critic import PERSONAS
from softco.roles.schemas import CodeOnly

__all__ = [
    "PERSONAS",
    "CodeOnly",
    "RoleContext",
    "architect",
    "ask",
    "coder",
    "critic",
    "judge",
    "pm",
    "render",
    "reviewer",
    "tester",
]
