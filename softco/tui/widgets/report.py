"""The run report (``RUN_DIR/report.md``), rendered once the run has finished."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from softco.tui.state import RunView

WAITING = "*The run report appears here when the run finishes.*"


def report_markdown(run_dir: Path, view: RunView) -> str:
    """The report's text, or a line saying why there is none (yet)."""
    if view.finished is None:
        return WAITING
    candidates = [run_dir / "report.md"]
    if view.finished.report_path:
        candidates.insert(0, run_dir / view.finished.report_path)
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8", errors="replace")
    f = view.finished
    return (
        f"# Run finished: {f.stop_reason}\n\nNo report file was found in `{run_dir}`.\n\n"
        f"- tests: {f.tests_passed}/{f.tests_total}\n- tokens: {f.total_tokens:,}\n"
        f"- cost: ${f.total_cost_usd:.4f}\n" + (f"- error: {f.error}\n" if f.error else "")
    )


class ReportPane(VerticalScroll):
    def __init__(self, run_dir: Path, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.run_dir = run_dir
        self._shown: str | None = None

    def compose(self) -> ComposeResult:
        yield Markdown(WAITING, id="report-md")

    def show(self, view: RunView) -> None:
        text = report_markdown(self.run_dir, view)
        if text != self._shown:
            self._shown = text
            self.query_one("#report-md", Markdown).update(text)
