"""Reading and prefiltering a long file list on every core (run/screen.py): the same outcomes, in the same
order, as one process, whatever the children do; and read_regular's descriptor reads."""
from __future__ import annotations

import marshal
import os

import pytest

from sora_lint.run import screen
from sora_lint.run.files import NotRegular, read_regular

SORA = b'from openai import OpenAI\nOpenAI().videos.create(model="sora-2", prompt="p", seconds="10")\n'


def _tree(tmp_path) -> list[str]:
    """Plain files, Sora candidates, a file that cannot be read and (where there are FIFOs) a FIFO."""
    paths = []
    for i in range(40):
        path = tmp_path / f"m{i:02}.py"
        path.write_bytes(SORA if i % 7 == 3 else f"x = {i}\n".encode() * i)
        paths.append(str(path))
    paths.insert(5, str(tmp_path / "gone.py"))
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.py")
        paths.insert(11, str(tmp_path / "pipe.py"))
    return paths


def test_every_share_of_processes_gives_what_one_process_gives(tmp_path):
    paths = _tree(tmp_path)
    alone = [screen.screen(p) for p in paths]
    assert alone[5] == f"{paths[5]}: cannot be read: No such file or directory"
    assert sum(isinstance(o, bytes) for o in alone) == 6 and alone.count(None) >= 30
    if hasattr(os, "mkfifo"):
        assert alone[11] == f"{paths[11]}: skipped: a FIFO, not a regular file, so it was not read"
    for processes in (1, 2, 3, 7):
        assert screen.screen_all(paths, processes, min_files=1) == alone
    assert screen.screen_all(paths, 2) == alone  # too few files to fork for


def test_a_child_that_dies_or_answers_garbage_costs_its_share_done_again(tmp_path, monkeypatch):
    paths = _tree(tmp_path)
    alone = [screen.screen(p) for p in paths]
    monkeypatch.setattr(screen, "_can_fork", lambda: True)
    for answer in (None, b"not marshal", marshal.dumps([1, 2]), marshal.dumps({"a": 1}), marshal.dumps([None])):
        def fork(share, answer=answer):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                if answer is not None:
                    os.write(write_end, answer)
                os._exit(0 if answer is not None else 3)
            os.close(write_end)
            return pid, read_end

        monkeypatch.setattr(screen, "_fork", fork)
        assert screen.screen_all(paths, 3, min_files=1) == alone


def test_read_regular_reads_whole_files_and_refuses_the_rest(tmp_path):
    empty, big = tmp_path / "empty.py", tmp_path / "big.py"
    empty.write_bytes(b"")
    big.write_bytes(os.urandom(3 * 1024 * 1024 + 5))
    assert read_regular(str(empty)) == b""
    assert read_regular(str(big)) == big.read_bytes()
    if os.path.exists("/proc/self/status"):  # a regular file whose size fstat gives as 0
        assert read_regular("/proc/self/status").startswith(b"Name:")
    with pytest.raises(NotRegular, match="a folder"):
        read_regular(str(tmp_path))


def _ahead(paths, **kwargs) -> list:
    ahead = screen.Ahead(2, min_files=1, **kwargs)
    with ahead:
        for p in paths:
            ahead.add(p)
        return ahead.outcomes(paths)


def test_files_screened_while_the_walk_goes_on_are_what_one_process_gives(tmp_path):
    paths = _tree(tmp_path)
    alone = [screen.screen(p) for p in paths]
    assert _ahead(paths) == alone
    assert _ahead(paths, enabled=False) == alone
    # Paths given twice, or never given to add() (a caller's own list), are answered all the same.
    ahead = screen.Ahead(2, min_files=1)
    with ahead:
        for p in paths[:20] + paths[:5]:
            ahead.add(p)
        assert ahead.outcomes(paths) == alone
    # A path too long for any message is screened in the parent.
    deep = tmp_path / ("d" * 200) / ("e" * 200) / ("f" * 200) / ("g" * 200) / ("h" * 200)
    deep.mkdir(parents=True)
    long_path = deep / (("x" * 200) + ".py")
    long_path.write_bytes(SORA)
    mixed = [str(long_path)] * 2 + paths + [str(long_path)]
    assert _ahead(mixed) == [screen.screen(p) for p in mixed]


def test_a_child_screening_ahead_that_dies_or_lies_costs_its_batches_done_again(tmp_path, monkeypatch):
    paths = _tree(tmp_path)
    alone = [screen.screen(p) for p in paths]

    def dies(tasks, results, size):
        os.read(tasks, size)  # one batch taken from the pipe and lost
        os._exit(9)

    def lies(tasks, results, size):
        while os.read(tasks, size):
            pass
        os.write(results, marshal.dumps([(0, [b"x"]), (1, ["wrong"] * 32), (-1, []), "junk"]))
        return 0

    for child in (dies, lies):
        monkeypatch.setattr(screen, "_serve_batches", child)
        assert _ahead(paths) == alone


def test_an_ahead_never_asked_stops_its_child(tmp_path):
    paths = _tree(tmp_path)
    ahead = screen.Ahead(2, min_files=1)
    for p in paths:
        ahead.add(p)
    assert ahead.child is not None
    pid = ahead.child[0]
    ahead.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # killed and reaped
