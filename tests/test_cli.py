"""The command line as researchers use it: options where habit puts them, help for every one,
a clear line for what cannot work, and progress they can follow in a terminal or a log."""

from __future__ import annotations

import argparse
import io
import re

import pytest

from pipeline.api import Corpus
from pipeline.cli import _parser, main
from pipeline.runner.progress import Progress


def test_progress_outside_a_terminal_is_plain_lines_with_counts():
    stream = io.StringIO()  # not a terminal: a log file, a pipe
    with Progress(3, enabled=True, stream=stream, every=3600) as bar:
        bar.advance()
        bar.advance(failed=True)
        bar.advance()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "3 documents to process; loading models"
    assert re.fullmatch(r"1/3 documents, 0:00:0\d elapsed, 0 failed", lines[1])
    assert re.fullmatch(r"3/3 documents, 0:00:0\d elapsed, 1 failed", lines[2])
    assert len(lines) == 3  # one line at most every `every` seconds, and the last


def test_progress_is_silent_when_quiet_or_for_one_document():
    for total, enabled in ((3, False), (1, True)):
        stream = io.StringIO()
        with Progress(total, enabled, stream=stream) as bar:
            bar.advance()
        assert stream.getvalue() == ""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_in_a_terminal_is_a_bar_with_n_of_n():
    stream = Terminal()
    with Progress(2, enabled=True, stream=stream) as bar:
        assert bar.bar.tasks[0].description == "loading models"
        bar.advance(failed=True)
        task = bar.bar.tasks[0]
        assert (task.description, task.completed, task.fields["failed"]) == (
            "processing",
            1,
            "1 failed",
        )


# --- options, help, and what cannot start --------------------------------------------------------


def parse(argv: list[str]):
    return _parser().parse_args(argv)


def test_global_options_are_accepted_after_the_subcommand_too():
    assert parse(["run", "corpus", "--out", "x", "--quiet"]).quiet is True
    assert parse(["--quiet", "run", "corpus", "--out", "x"]).quiet is True
    after = parse(["export", "x", "--format", "iob", "--dest", "y", "--debug"])
    assert (after.debug, after.quiet) == (True, False)
    assert parse(["--debug", "evaluate", "g.gold.json", "--out", "e"]).debug is True


def test_every_option_has_help_and_every_command_an_example(capsys):
    parser = _parser()
    assert main(["--help"]) == 0
    top = capsys.readouterr().out
    assert "Thin" not in top and "API" not in top  # no developer notes
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name, command in commands.choices.items():
        for action in command._actions:
            assert action.help, f"{name} {action.dest}"
        assert main([name, "--help"]) == 0
        text = capsys.readouterr().out
        assert "example:\n  declarations " + name in text, name


def test_workers_must_be_one_or_more(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("1. De EU zal helpen.\n", encoding="utf-8")
    assert (
        main(["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"), "--workers", "0"]) == 2
    )
    err = capsys.readouterr().err
    assert "--workers: must be 1 or more, not 0" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_an_empty_input_folder_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["run", str(tmp_path / "empty"), "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err == (
        f"error: no documents in {tmp_path / 'empty'} (looked for .pdf, .txt, .html, .htm, .docx)\n"
    )
    assert not (tmp_path / "o").exists()


def test_an_unusable_out_is_one_line_naming_it(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("1. De EU zal helpen.\n", encoding="utf-8")
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    assert main(["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "taken")]) == 2
    assert (
        capsys.readouterr().err == f"error: --out {tmp_path / 'taken'}: is a file, not a folder\n"
    )
    assert main(["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "taken" / "sub")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_a_bad_user_file_is_one_line_per_bad_row_and_exit_2(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("1. De EU zal helpen.\n", encoding="utf-8")
    (tmp_path / "mine.csv").write_text(
        "name,label,key\nRaad,ORGANISATION,raad\nBenelux,ORG,../x\n", encoding="utf-8"
    )
    out = str(tmp_path / "o")
    code = main(
        ["run", str(tmp_path / "a.txt"), "--out", out, "--gazetteer", str(tmp_path / "mine.csv")]
    )
    lines = capsys.readouterr().err.splitlines()
    assert code == 2 and len(lines) == 2
    assert lines[0].startswith(f"error: {tmp_path / 'mine.csv'}:2: label 'ORGANISATION'")
    assert lines[1].startswith(f"error: {tmp_path / 'mine.csv'}:3: key '../x'")


# --- a run with the researcher's own files -------------------------------------------------------


@pytest.mark.slow
def test_a_run_with_metadata_gazetteer_and_quiet_after_the_subcommand(tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "tirana-2022.txt").write_text(
        "Verklaring van Tirana, 6 december 2022\n\n"
        "1. De Stichting Noordzeekust zal de hervormingen in de regio steunen.\n",
        encoding="utf-8",
    )
    (inputs / "brdo-2021.txt").write_text(
        "Verklaring van Brdo, 5 oktober 2021\n\n1. De EU zal de regio blijven helpen.\n",
        encoding="utf-8",
    )
    (tmp_path / "summits.csv").write_text(
        "doc_id;series;date;presidency\n"
        "tirana-2022;eu-western-balkans;6-12-2022;CZ\n"
        "brdo-2021;eu-western-balkans;2021-10-06;SI\n",
        encoding="utf-8",
    )
    (tmp_path / "mine.tsv").write_text(
        "name\tlabel\tkey\nStichting Noordzeekust\tORG\tnoordzeekust_foundation\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    argv = ["run", str(inputs), "--out", str(out), "--no-report"]
    argv += ["--metadata", str(tmp_path / "summits.csv"), "--gazetteer", str(tmp_path / "mine.tsv")]
    assert main(argv + ["--quiet"]) == 0
    assert capsys.readouterr().out == ""  # --quiet after the subcommand: no summary line

    corpus = Corpus.read(out)
    documents = corpus.documents.set_index("doc_id")
    assert documents.loc["brdo-2021", "date"] == "2021-10-06"  # the file's, not the text's 10-05
    assert documents.loc["tirana-2022", "date"] == "2022-12-06"
    assert set(documents["series"]) == {"eu-western-balkans"}
    assert documents.loc["tirana-2022", "presidency"] == "CZ"
    entities = corpus.entities
    (key,) = entities.loc[entities["text"] == "Stichting Noordzeekust", "key"]
    assert key == "noordzeekust_foundation"
