"""The vector store: persistence, filters, idempotence, failure modes, offline use."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from softco.config import Settings
from softco.memory import (
    MemoryItem,
    NullMemory,
    ResilientMemory,
    embed,
    open_company_memory,
    open_run_memory,
    similarity,
)
from softco.memory.ingest import MAX_PARTS


def _settings(tmp_path: Path, **memory: object) -> Settings:
    return Settings.load(home=tmp_path / "home", memory=memory)


def _run(code: str, cwd: Path) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


ITEMS = [
    MemoryItem(
        text="def add(a, b):\n    return a + b\n", kind="code", file="calc/ops.py", symbol="add"
    ),
    MemoryItem(
        text="class HttpServer:\n    def serve(self, port): ...\n",
        kind="code",
        file="net/server.py",
        symbol="HttpServer",
    ),
    MemoryItem(text="As a user I can add two numbers and see the sum.", kind="story", symbol="US1"),
    MemoryItem(
        text="Pin dependencies so the build is reproducible.",
        kind="lesson",
        outcome="passed",
        run="r1",
        sprint=None,
    ),
]


@pytest.fixture
def run_mem(tmp_path: Path) -> ResilientMemory:
    mem = open_run_memory(tmp_path / "run", _settings(tmp_path))
    assert mem.available, mem.status
    return mem


def test_round_trip_across_processes(tmp_path: Path) -> None:
    writer = f"""
        from pathlib import Path
        from softco.config import Settings
        from softco.memory import MemoryItem, open_run_memory
        mem = open_run_memory(Path({str(tmp_path / "run")!r}),
                              Settings.load(home=Path({str(tmp_path / "home")!r})))
        n = mem.add([MemoryItem(text="parse the CSV header into column names", kind="code",
                                file="io/csv.py", symbol="parse_header")])
        print(n, mem.status)
    """
    assert _run(writer, tmp_path).startswith("1 run memory: ready")
    reader = f"""
        import json
        from pathlib import Path
        from softco.config import Settings
        from softco.memory import open_run_memory
        mem = open_run_memory(Path({str(tmp_path / "run")!r}),
                              Settings.load(home=Path({str(tmp_path / "home")!r})))
        print(json.dumps([h.model_dump() | {{"source": h.source}}
                          for h in mem.search("read column names from a csv", 3)]))
    """
    hits = json.loads(_run(reader, tmp_path).strip().splitlines()[-1])
    assert len(hits) == 1
    assert hits[0]["source"] == "[code:io/csv.py::parse_header]"
    assert hits[0]["score"] > 0.3


def test_filters_and_scores(run_mem: ResilientMemory) -> None:
    assert run_mem.add(ITEMS) == 4
    code = run_mem.search("add two numbers", k=5, where={"kind": "code"})
    assert [h.metadata["symbol"] for h in code] == ["add", "HttpServer"]
    assert code[0].score > code[1].score
    both = run_mem.search("anything", k=5, where={"kind": "code", "file": "calc/ops.py"})
    assert [h.id for h in both] == [ITEMS[0].key]
    lesson = run_mem.search("reproducible builds", k=5, where={"outcome": "passed"})
    assert lesson[0].metadata == {"kind": "lesson", "outcome": "passed", "run": "r1"}


def test_stable_ids_do_not_duplicate(run_mem: ResilientMemory) -> None:
    assert run_mem.add(ITEMS) == 4
    assert run_mem.add([i.model_copy() for i in ITEMS]) == 0
    assert run_mem.count() == 4
    changed = MemoryItem(id="fixed", text="one")
    run_mem.add([changed])
    assert run_mem.add([MemoryItem(id="fixed", text="two")]) == 1
    assert run_mem.count() == 5
    assert run_mem.search("two", 1, where={"kind": "note"})[0].text == "two"


def test_query_before_anything_is_stored(run_mem: ResilientMemory) -> None:
    assert run_mem.search("nothing here yet") == []
    assert run_mem.search("", k=3, where={"kind": "code"}) == []
    assert run_mem.count() == 0


def test_forget(run_mem: ResilientMemory) -> None:
    run_mem.add(ITEMS)
    assert run_mem.forget(where={"kind": "code"}) == 2
    assert run_mem.forget(ids=[ITEMS[2].key]) == 1
    assert run_mem.forget() == 1
    assert run_mem.count() == 0


def test_collection_reopens_without_passing_the_function(
    run_mem: ResilientMemory, tmp_path: Path
) -> None:
    import chromadb

    run_mem.add(ITEMS)
    client = chromadb.PersistentClient(path=str(tmp_path / "run" / "memory"))
    collection = client.get_collection("run")
    result = collection.query(query_texts=["sum of two numbers"], n_results=2)
    assert result["ids"][0] == [h.id for h in run_mem.search("sum of two numbers", 2)]


def test_company_memory_is_separate(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    company = open_company_memory(settings)
    run = open_run_memory(tmp_path / "run", settings)
    company.add([ITEMS[3]])
    assert (company.count(), run.count()) == (1, 0)
    assert (tmp_path / "home" / "memory").is_dir()


def test_corrupted_store_degrades_with_a_clear_status(tmp_path: Path) -> None:
    store = tmp_path / "run" / "memory"
    store.mkdir(parents=True)
    (store / "chroma.sqlite3").write_bytes(b"this is not a database\x00" * 4096)
    seen: list[str] = []
    mem = open_run_memory(tmp_path / "run", _settings(tmp_path), on_unavailable=seen.append)
    assert not mem.available
    assert "memory unavailable" in mem.status and "continuing without retrieval" in mem.status
    assert "not a database" in mem.status
    assert mem.search("x") == [] and mem.add(ITEMS) == 0 and mem.count() == 0
    assert seen == [mem.status]


def test_unreachable_server_degrades_within_seconds(tmp_path: Path) -> None:
    start = time.monotonic()
    mem = open_run_memory(tmp_path / "run", _settings(tmp_path, server_url="http://127.0.0.1:9"))
    assert time.monotonic() - start < 5
    assert not mem.available
    assert "127.0.0.1:9 unreachable" in mem.status
    assert mem.search("x") == []


def test_backend_failure_mid_run_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    class Flaky(NullMemory):
        def search(self, query, k=5, where=None):  # type: ignore[no-untyped-def]
            raise OSError("disk I/O error")

    calls: list[str] = []
    mem = ResilientMemory(Flaky, "run memory", on_unavailable=calls.append)
    assert mem.available
    with caplog.at_level("WARNING", logger="softco.memory"):
        assert mem.search("a") == [] and mem.search("b") == []
    assert mem.status == (
        "run memory: memory unavailable: disk I/O error; continuing without retrieval"
    )
    assert len(calls) == 1 and len(caplog.records) == 1


def test_disabled_by_settings(tmp_path: Path) -> None:
    mem = open_run_memory(tmp_path, _settings(tmp_path, enabled=False))
    assert not mem.available and mem.status == "run memory: memory disabled by settings"
    assert not (tmp_path / "memory").exists()
    company = open_company_memory(_settings(tmp_path, company=False))
    assert company.search("x") == []


def test_non_utf8_and_odd_text(run_mem: ResilientMemory) -> None:
    odd = [
        MemoryItem(text=b"caf\xe9 \xff\xfe bytes from a latin-1 file", kind="code"),
        MemoryItem(text="lone surrogate \udcff and NUL \x00 inside", kind="code"),
        MemoryItem(text="", kind="code"),
        MemoryItem(text="emoji 🚀 and 中文", kind="code"),
    ]
    assert "\ufffd" in odd[0].text
    assert run_mem.add(odd) == 4
    assert len(run_mem.search("caf\udcff", k=4)) == 4
    assert len(embed(["", "\udcff", "x" * 100_000])) == 3


def test_one_megabyte_artifact(run_mem: ResilientMemory) -> None:
    line = "the quick brown fox jumps over the lazy dog 0123456789\n"
    big = MemoryItem(text=line * (1_000_000 // len(line)), kind="design", file="huge.md")
    start = time.monotonic()
    stored = run_mem.add([big])
    assert run_mem.available, run_mem.status
    assert stored == MAX_PARTS == run_mem.count()
    hits = run_mem.search("lazy dog", k=3)
    assert hits and all(len(h.text) <= 1201 for h in hits)
    assert time.monotonic() - start < 30


def test_embedder_is_semantically_sensible() -> None:
    query = "add two numbers"
    near = similarity(query, "def add(a, b): return a + b")
    far = similarity(query, "class HttpServer: serves files over a socket")
    assert near > far + 0.2
    vectors = embed(["hello world", "hello world"])
    assert len(vectors[0]) == 384
    assert abs(sum(v * v for v in vectors[0]) - 1.0) < 1e-4
    assert vectors[0] == pytest.approx(vectors[1])


def test_nothing_connects_anywhere(tmp_path: Path) -> None:
    """Import, model load, add and query with every socket connect made to fail."""
    code = f"""
        import json, socket
        attempts = []
        def refuse(*args, **kwargs):
            attempts.append(repr(args)[:120])
            raise OSError("network disabled by test")
        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        from pathlib import Path
        from softco.config import Settings
        from softco.memory import MemoryItem, embed, open_company_memory, open_run_memory
        s = Settings.load(home=Path({str(tmp_path / "home")!r}))
        run = open_run_memory(Path({str(tmp_path / "run")!r}), s)
        company = open_company_memory(s)
        embed(["warm up"])
        run.add([MemoryItem(text="def f(): pass", kind="code")])
        company.add([MemoryItem(text="write tests first", kind="lesson")])
        hits = run.search("function f") + company.search("testing")
        print(json.dumps({{"attempts": attempts, "hits": len(hits),
                          "status": [run.status, company.status]}}))
    """
    out = json.loads(_run(code, tmp_path).strip().splitlines()[-1])
    assert out == {
        "attempts": [],
        "hits": 2,
        "status": ["run memory: ready", "company memory: ready"],
    }


@pytest.mark.slow
def test_http_server_uses_the_same_code_path(tmp_path: Path) -> None:
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    if not Path(chroma).exists():
        pytest.skip("chroma server CLI not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "srv"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        settings = _settings(tmp_path, server_url=f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 20
        while True:
            mem = open_run_memory(tmp_path / "run-a", settings)
            if mem.available or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        assert mem.available, mem.status
        other = open_run_memory(tmp_path / "run-b", settings)
        assert mem.add(ITEMS) == 4 and other.count() == 0
        hit = mem.search("add numbers", 1, where={"kind": "code"})[0]
        assert hit.metadata["symbol"] == "add"
    finally:
        server.terminate()
        server.wait(timeout=10)
