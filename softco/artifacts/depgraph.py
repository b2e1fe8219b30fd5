"""The design's dependency graph: build order, impact of a change, coder context.

Edges point from a dependency to its dependent (``calc/ops.py -> calc/cli.py``),
i.e. in build order: topological generations are the waves of coders, and a
node's descendants are everything a change to it can break. Messages about
cycles are written the other way round, in "depends on" order
(``a.py -> b.py -> a.py``: a depends on b, which depends on a), because that
is how the architect wrote ``depends_on``.

See ``design.py`` for which checks run as pydantic validators and which only
here; :func:`validate_design` runs all of them.
"""

from __future__ import annotations

import networkx as nx

from softco.artifacts.design import Design, FunctionSpec, reference_problems
from softco.artifacts.paths import module_name, normalise_path, path_problem
from softco.artifacts.repo_scan import design_from_repo
from softco.config import WorkflowSettings
from softco.errors import DesignInvalid

DEFAULT_MAX_FILES: int = WorkflowSettings.model_fields["max_files"].default

__all__ = [
    "DEFAULT_MAX_FILES",
    "build_graph",
    "critical_path_length",
    "cycles",
    "design_from_repo",
    "edges",
    "generations",
    "impacted",
    "interface_context",
    "module_name",
    "require_valid",
    "to_mermaid",
    "validate_design",
]


def build_graph(design: Design) -> nx.DiGraph:
    """A DiGraph with one node per file (attribute ``spec``) and dep -> dependent edges.

    Dependencies that are not files of the design are left out (validate_design
    reports them); a self-dependency becomes a self-loop so ordering fails loudly.
    """
    graph = nx.DiGraph()
    for spec in design.files:
        graph.add_node(spec.path, spec=spec)
    for spec in design.files:
        for dep in spec.depends_on:
            if dep in graph:
                graph.add_edge(dep, spec.path)
    return graph


def edges(design: Design) -> list[tuple[str, str]]:
    """Sorted (dependency, dependent) pairs, e.g. for the ``design_ready`` event."""
    return sorted(build_graph(design).edges())


def cycles(design: Design) -> list[list[str]]:
    """One cycle per tangle of files, in depends-on order, closed and deterministic.

    Each cycle starts and ends at its alphabetically first file:
    ``["a.py", "b.py", "a.py"]`` means a depends on b and b on a.
    """
    depends = build_graph(design).reverse(copy=True)
    depends.remove_edges_from(list(nx.selfloop_edges(depends)))
    found = []
    for component in nx.strongly_connected_components(depends):
        if len(component) < 2:
            continue
        sub = depends.subgraph(component)
        loop = [u for u, _ in nx.find_cycle(sub, source=min(component))]
        start = loop.index(min(loop))
        loop = loop[start:] + loop[:start]
        found.append([*loop, loop[0]])
    return sorted(found)


def _module_collisions(design: Design) -> list[str]:
    by_module: dict[str, list[str]] = {}
    for spec in design.files:
        by_module.setdefault(module_name(spec.path), []).append(spec.path)
    return [
        f"{' and '.join(sorted(set(paths)))} are both module {name!r}: keep only one of them"
        for name, paths in sorted(by_module.items())
        if len(set(paths)) > 1
    ]


def validate_design(design: Design, max_files: int = DEFAULT_MAX_FILES) -> list[str]:
    """Every problem the architect must fix before coding starts; empty means buildable.

    Covers unsafe paths, duplicates, unknown and self dependencies, no files,
    too many files, two files importing as the same module, and import cycles.
    """
    problems = [p for spec in design.files if (p := path_problem(spec.path))]
    problems += reference_problems(design)
    if len(design.files) > max_files:
        problems.append(
            f"the design has {len(design.files)} files but at most {max_files} are allowed: "
            "merge small modules so the project fits"
        )
    problems += _module_collisions(design)
    problems += [
        f"import cycle: {' -> '.join(loop)} (each file depends on the next): break it, "
        "e.g. move the shared code into a new module that both import"
        for loop in cycles(design)
    ]
    return list(dict.fromkeys(problems))


def require_valid(design: Design, max_files: int = DEFAULT_MAX_FILES) -> None:
    """Raise :class:`DesignInvalid` listing every problem, if there is any."""
    problems = validate_design(design, max_files=max_files)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise DesignInvalid(f"the design has {count}: {problems[0]}", problems)


def generations(design: Design) -> list[list[str]]:
    """Files in build order: each inner list only depends on earlier lists.

    Files within a generation are sorted so runs are reproducible. Raises
    :class:`DesignInvalid` naming the cycle if there is one.
    """
    graph = build_graph(design)
    loops = cycles(design)
    selfdeps = sorted(u for u, _ in nx.selfloop_edges(graph))
    if loops or selfdeps:
        problems = [f"import cycle: {' -> '.join(loop)}" for loop in loops]
        problems += [f"{path} depends on itself" for path in selfdeps]
        raise DesignInvalid(f"cannot order the files: {problems[0]}", problems)
    return [sorted(gen) for gen in nx.topological_generations(graph)]


def critical_path_length(design: Design) -> int:
    """Files on the longest dependency chain = the least number of coding waves."""
    return len(generations(design))


def impacted(design: Design, changed: set[str]) -> set[str]:
    """The changed files plus every file that transitively depends on one of them.

    This is what incremental mode regenerates and re-tests. Paths that are not
    files of the design (e.g. deleted ones) are ignored.
    """
    graph = build_graph(design)
    result: set[str] = set()
    for path in (normalise_path(p) for p in changed):
        if path in graph:
            result.add(path)
            result |= nx.descendants(graph, path)
    return result


def _stub(spec: FunctionSpec) -> str:
    doc = spec.docstring.replace('"""', r"\"\"\"")
    if not doc:
        return f"{spec.signature}:\n    ..."
    doc = doc.replace("\n", "\n    ")
    return f'{spec.signature}:\n    """{doc}"""'


def interface_context(design: Design, path: str) -> str:
    """The public interfaces of ``path``'s direct dependencies, as Python stubs.

    This is all a coder sees of other files: signatures and docstrings, with
    the exact import line, never bodies and never transitive dependencies
    (which keeps a small model's prompt short). Empty if it has none.
    """
    spec = design.file(path)
    known = {f.path: f for f in design.files}
    blocks = []
    for dep in spec.depends_on:
        dep_spec = known.get(dep)
        if dep_spec is None or dep == spec.path:
            continue
        module = module_name(dep)
        lines = [f"# module {module} (file {dep})"]
        if dep_spec.responsibility:
            lines.append(f"# {' '.join(dep_spec.responsibility.split())}")
        if dep_spec.interface:
            names = ", ".join(f.name for f in dep_spec.interface)
            lines.append(f"# import with: from {module} import {names}")
            lines += [_stub(f) for f in dep_spec.interface]
        else:
            lines.append("# (no public interface declared)")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


_STATUS_STYLES = {
    "pending": "fill:#eeeeee,stroke:#999999",
    "writing": "fill:#fff3c4,stroke:#c9a400",
    "written": "fill:#d6e9ff,stroke:#2f6db5",
    "failing": "fill:#ffd6d6,stroke:#c62828",
    "passing": "fill:#d4f7d4,stroke:#2e7d32",
}


def to_mermaid(design: Design, status: dict[str, str] | None = None) -> str:
    """A Mermaid flowchart of the design (arrows in build order), coloured by status.

    ``status`` maps a path to a file state (pending, writing, written, failing,
    passing); other values get a neutral style.
    """
    graph = build_graph(design)
    ids = {path: f"n{i}" for i, path in enumerate(sorted(graph))}
    lines = ["flowchart LR"]
    lines += [f'    {ids[p]}["{p}"]' for p in sorted(graph)]
    lines += [f"    {ids[u]} --> {ids[v]}" for u, v in sorted(graph.edges())]
    by_state: dict[str, list[str]] = {}
    for path, state in (status or {}).items():
        key = normalise_path(path)
        if key in ids:
            name = "".join(c if c.isalnum() else "_" for c in state) or "unknown"
            by_state.setdefault(name, []).append(ids[key])
    for name, nodes in sorted(by_state.items()):
        lines.append(f"    classDef {name} {_STATUS_STYLES.get(name, 'fill:#ffffff')}")
        lines.append(f"    class {','.join(sorted(nodes))} {name}")
    return "\n".join(lines) + "\n"
