"""The generated repository: a file tree with status marks and a code viewer.

Files are read from ``RUN_DIR/workspace`` (reading is fine; the TUI never
writes there). The tree is rebuilt only when the set of files changes, so a
live run does not steal the cursor every time a status flips.
"""

from __future__ import annotations

from pathlib import Path

from rich.syntax import Syntax
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from softco.tui.state import RunView
from softco.tui.widgets.look import file_mark

SKIP_DIRS = {".git", "__pycache__", ".pytest_cache", ".venv", ".mypy_cache", ".ruff_cache"}
MAX_BYTES = 256_000


def workspace_files(workspace: Path) -> list[str]:
    """Relative paths of the repo's files, hidden and cache folders left out."""
    if not workspace.is_dir():
        return []
    found = []
    for path in workspace.rglob("*"):
        rel = path.relative_to(workspace)
        if path.is_file() and not any(p in SKIP_DIRS or p.startswith(".") for p in rel.parts):
            found.append(rel.as_posix())
    return found


def read_code(workspace: Path, rel: str) -> str | None:
    """A file's text, or None when it is missing, outside the workspace or too big."""
    root = workspace.resolve()
    target = (root / rel).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return None
    data = target.read_bytes()[:MAX_BYTES]
    return data.decode("utf-8", errors="replace")


class FilesPane(Horizontal):
    def __init__(
        self, workspace: Path, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.workspace = workspace
        self._paths: list[str] = []
        self._tree_nodes: dict[str, TreeNode[str]] = {}
        self._statuses: dict[str, str] = {}
        self._scan_key: tuple[int, bool] | None = None
        self.current: str | None = None

    def compose(self) -> ComposeResult:
        tree: Tree[str] = Tree("workspace", id="file-tree")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree
        with VerticalScroll(id="code-scroll"):
            yield Static(Text("select a file to read its code", style="dim"), id="code")

    def show(self, view: RunView) -> None:
        key = (len(view.files), view.finished is not None)
        if key != self._scan_key:
            self._scan_key = key
            paths = sorted(set(workspace_files(self.workspace)) | set(view.files))
            if paths != self._paths:
                self._paths = paths
                self._rebuild()
            if self.current is None:
                first = next((p for p in view.files if p in self._tree_nodes), None)
                if first is not None and self.open_file(first):
                    self.query_one(Tree).move_cursor(self._tree_nodes[first])
        changed = False
        for path, node in self._tree_nodes.items():
            status = view.files[path].status if path in view.files else ""
            if self._statuses.get(path) != status:
                self._statuses[path] = status
                node.set_label(self._label(path, status))
                changed = changed or path == self.current
        if changed and self.current:
            self.open_file(self.current)

    def _label(self, path: str, status: str) -> Text:
        label = Text()
        if status:
            label.append_text(file_mark(status))
            label.append(" ")
        label.append(path.rsplit("/", 1)[-1])
        return label

    def _rebuild(self) -> None:
        tree = self.query_one("#file-tree", Tree)
        tree.clear()
        self._tree_nodes, self._statuses = {}, {}
        folders: dict[str, TreeNode[str]] = {"": tree.root}
        for path in self._paths:
            parent = ""
            for part in path.split("/")[:-1]:
                folder = f"{parent}/{part}" if parent else part
                if folder not in folders:
                    folders[folder] = folders[parent].add(f"{part}/", expand=True)
                parent = folder
            self._tree_nodes[path] = folders[parent].add_leaf(self._label(path, ""), data=path)

    def open_file(self, rel: str) -> bool:
        """Show ``rel`` in the viewer; False (and a message) when it cannot be read."""
        self.current = rel
        code = self.query_one("#code", Static)
        text = read_code(self.workspace, rel)
        if text is None:
            code.update(Text(f"{rel} is not on disk (yet)", style="dim"))
            return False
        theme = "monokai" if self.app.current_theme.dark else "friendly"
        code.update(
            Syntax(
                text,
                Syntax.guess_lexer(rel, text),
                theme=theme,
                line_numbers=True,
                word_wrap=False,
                background_color="default",
            )
        )
        self.query_one("#code-scroll", VerticalScroll).scroll_home(animate=False)
        return True

    @on(Tree.NodeHighlighted, "#file-tree")
    @on(Tree.NodeSelected, "#file-tree")
    def _preview(self, event: Tree.NodeHighlighted[str] | Tree.NodeSelected[str]) -> None:
        if event.node.data and event.node.data != self.current:
            self.open_file(event.node.data)
