"""A researcher's own gazetteer rows, domain terms and metadata: files read and checked.

Each bad row is one line naming the file, the row and the reason; a file with bad rows is
refused whole.
"""

from __future__ import annotations

import json

import pytest

from pipeline import corrections, userdata
from pipeline.classify.domains import Segment
from pipeline.nlp import build_nlp
from pipeline.userdata import UserDataError


def test_a_gazetteer_in_each_format_gives_the_same_rows(tmp_path):
    (tmp_path / "g.tsv").write_text(
        "name\tlabel\tkey\taliases\twikidata\n"
        "Raad van Europa\tORG\tcouncil_of_europe\tRvE | CoE\tQ8908\n"
        "Jongerenlab\tPROGRAMME\tyouth_lab\t\t\n",
        encoding="utf-8",
    )
    # as a Dutch spreadsheet saves it: byte-order mark, semicolons
    (tmp_path / "g.csv").write_text(
        "\ufeffname;label;key;aliases;wikidata\n"
        "Raad van Europa;ORG;council_of_europe;RvE|CoE;Q8908\n"
        "Jongerenlab;PROGRAMME;youth_lab;;\n",
        encoding="utf-8",
    )
    (tmp_path / "g.jsonl").write_text(
        json.dumps(
            {
                "name": "Raad van Europa",
                "label": "ORG",
                "key": "council_of_europe",
                "aliases": ["RvE", "CoE"],
                "wikidata": "Q8908",
            }
        )
        + "\n"
        + json.dumps({"name": "Jongerenlab", "label": "PROGRAMME", "key": "youth_lab"})
        + "\n",
        encoding="utf-8",
    )
    expected = [
        userdata.GazetteerRow(
            "council_of_europe", "ORG", ("Raad van Europa", "RvE", "CoE"), "Q8908"
        ),
        userdata.GazetteerRow("youth_lab", "PROGRAMME", ("Jongerenlab",), None),
    ]
    for name in ("g.tsv", "g.csv", "g.jsonl"):
        assert userdata.read_gazetteer(tmp_path / name) == expected, name
    assert expected[0].as_table_row() == {
        "key": "council_of_europe",
        "label": "ORG",
        "wikidata": "Q8908",
        "names": "Raad van Europa | RvE | CoE",
    }


def test_every_bad_gazetteer_row_is_one_line(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text(
        "name,label,key,wikidata\n"
        "Raad van Europa,ORG,council_of_europe,Q8908\n"
        ",ORG,x,\n"
        "Jongerenlab,<script>,youth_lab,\n"
        "Raad,ORG,../../x,\n"
        "Benelux,ORG,benelux,8908\n"
        "Raad van Europa,ORG,other_key,\n",
        encoding="utf-8",
    )
    with pytest.raises(UserDataError) as raised:
        userdata.read_gazetteer(path)
    assert raised.value.problems == [
        f"{path}:3: the name is empty",
        f"{path}:4: label '<script>' of 'Jongerenlab' is none of PERSON, ORG, GPE, LOC, "
        "EVENT, LAW, PROGRAMME, DATE, MONEY",
        f"{path}:5: key '../../x' of 'Raad' must be letters, digits, '_', ':', '.' or '-' "
        "(e.g. eu, city:sofia, HRV)",
        f"{path}:6: wikidata '8908' of 'Benelux' is no Q-id (Q458)",
        f"{path}:7: the name 'Raad van Europa' is already 'council_of_europe''s",
    ]


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("g.xlsx", b"PK", "the file must be .tsv, .csv, .jsonl"),
        ("g.tsv", b"name\tlabel\tkey\n\xff\xfe\n", "not UTF-8 text (byte 0xff at position 15)"),
        ("g.tsv", b"name\tlabel\n", "the header row lacks the column(s) key"),
        ("g.jsonl", b'{"name": "x"\n', "g.jsonl:1: not a JSON object"),
        ("g.tsv", b"", "no header row and no rows"),
    ],
)
def test_an_unusable_gazetteer_file_is_one_line(tmp_path, name, content, problem):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(UserDataError) as raised:
        userdata.read_gazetteer(tmp_path / name)
    (line,) = raised.value.problems
    assert line.startswith(str(tmp_path / name)) and problem in line


def test_lexicon_rows_are_checked_against_the_domains(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text(
        "term\tdomain\tmatch\n"
        "Waterstofnetwerk\tenergy\t\n"
        "groene   waterstof\tenergy\t\n"
        "cyber\tsecurity\tprefix\n"
        "fietspad\ttransport\n",
        encoding="utf-8",
    )
    assert userdata.read_lexicon(path) == [
        userdata.LexiconRow("waterstofnetwerk", "energy", "word"),
        userdata.LexiconRow("groene waterstof", "energy", "phrase"),
        userdata.LexiconRow("cyber", "security", "prefix"),
        userdata.LexiconRow("fietspad", "transport", "word"),
    ]
    path.write_text("term,domain\nkernenergie,nuclear\n---,energy\n", encoding="utf-8")
    path = path.rename(tmp_path / "terms.csv")
    with pytest.raises(UserDataError) as raised:
        userdata.read_lexicon(path)
    assert raised.value.problems[0].startswith(f"{path}:2: domain 'nuclear' of 'kernenergie'")
    assert raised.value.problems[1] == f"{path}:3: the term '---' has no word"


def test_metadata_columns_and_dates(tmp_path):
    path = tmp_path / "meta.csv"
    path.write_text(
        "doc_id;series;date;presidency\n"
        "sofia-2018-nl;eu-western-balkans;17-05-2018;BG\n"
        "zagreb-2020-nl;eu-western-balkans;2020-05-06;HR\n"
        "brdo-2021-nl;eu-western-balkans;2021;SI\n",
        encoding="utf-8",
    )
    metadata = userdata.read_metadata(path, reserved=("doc_id", "title", "date", "n_pages"))
    assert metadata.columns == ["series", "date", "presidency"]
    assert metadata.rows == {
        "sofia-2018-nl": {"series": "eu-western-balkans", "date": "2018-05-17", "presidency": "BG"},
        "zagreb-2020-nl": {
            "series": "eu-western-balkans",
            "date": "2020-05-06",
            "presidency": "HR",
        },
        "brdo-2021-nl": {"series": "eu-western-balkans", "date": "2021", "presidency": "SI"},
    }
    # joined into a documents row: the given date replaces the detected one
    row = {"doc_id": "zagreb-2020-nl", "title": "Verklaring van Zagreb", "date": "2020-05-07"}
    assert metadata.join(row) == {
        "doc_id": "zagreb-2020-nl",
        "title": "Verklaring van Zagreb",
        "date": "2020-05-06",
        "series": "eu-western-balkans",
        "presidency": "HR",
    }
    assert metadata.join({"doc_id": "other", "date": "2019-01-01"}) == {
        "doc_id": "other",
        "date": "2019-01-01",
        "series": None,
        "presidency": None,
    }
    assert metadata.unknown(["sofia-2018-nl", "zagreb-2020-nl"]) == ["brdo-2021-nl"]
    path.write_text("doc_id,n_pages,Summit Name\na,3,x\n", encoding="utf-8")
    with pytest.raises(UserDataError) as raised:
        userdata.read_metadata(path, reserved=("doc_id", "date", "n_pages"))
    assert raised.value.problems == [
        f"{path}: column 'n_pages' is one the pipeline fills in (only date and title may be given)",
        f"{path}: column 'summit name' must be a plain name (lower-case letters, digits, '_'), "
        "as table columns are",
    ]
    path.write_text("doc_id,date\na,31-02-2018\na,2018\n,2019\n", encoding="utf-8")
    with pytest.raises(UserDataError) as raised:
        userdata.read_metadata(path)
    assert raised.value.problems == [
        f"{path}:2: date '31-02-2018' of a is no date (write 2018-05-17)",
        f"{path}:4: the doc_id is empty",
    ]


# --- corrected documents as training data ------------------------------------------------------


def write_gold(folder, doc_id: str, sentence: str, split: str = "train"):
    folder.mkdir(parents=True, exist_ok=True)
    gold = {
        "doc_id": doc_id,
        "language": "nl",
        "split": split,
        "segments": [
            {
                "id": "p1",
                "kind": "point",
                "number": "1",
                "heading": None,
                "domains": [],
                "sentences": [
                    {
                        "text": sentence,
                        "speech_act": "COMMITMENT",
                        "entities": [],
                        "commitments": [],
                    }
                ],
            }
        ],
    }
    path = folder / f"{doc_id}.gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    return path


def test_extra_documents_never_include_a_held_out_one(tmp_path):
    annotated = tmp_path / "annotated"
    write_gold(annotated, "summit-2030", "De EU zal de steun verhogen.", split="heldout")
    write_gold(annotated, "team-2029", "De EU zal helpen.", split="train")
    (annotated / "blind-summit-2031.gold.json").write_text(
        '{"split": "heldout"}', "utf-8"
    )  # by name only
    extra = tmp_path / "corrected"
    write_gold(extra, "mine-2028", "Wij zullen samenwerken.")
    (doc,) = corrections.extra_documents([extra], annotated)
    assert doc.doc_id == "mine-2028"

    write_gold(extra, "summit-2030", "Iets anders.")
    write_gold(extra, "renamed", "De EU zal de  steun verhogen.")  # a held-out text, renamed
    write_gold(extra, "summit-2031", "Nog iets.")
    write_gold(extra, "other", "Een zin.", split="heldout")
    with pytest.raises(corrections.ExtraError) as raised:
        corrections.extra_documents([extra, tmp_path / "missing"], annotated)
    assert raised.value.problems == [
        f'{extra / "other.gold.json"}: its split is "heldout", not "train"',
        f"{extra / 'renamed.gold.json'}: the same sentences as a held-out document: training on "
        "it would make the held-out figure untrue",
        f"{extra / 'summit-2030.gold.json'}: summit-2030 is a held-out document: training on it "
        "would make its held-out figure untrue",
        f"{extra / 'summit-2031.gold.json'}: summit-2031 is a held-out document: training on it "
        "would make its held-out figure untrue",
        f"{tmp_path / 'missing'}: no such folder",
    ]


def test_before_after_scores_both_models_on_the_same_documents():
    def fit(documents):
        return len(documents)  # a "model": how many documents it saw

    model, figures = corrections.before_after(
        fit, lambda m: m / 10, train=[1, 2, 3], extra=[4], metric="macro-F1"
    )
    assert model == 4
    assert figures.line() == (
        "held-out macro-F1: 0.300 without the 1 corrected document(s), 0.400 with them (+0.100)"
    )
    assert figures.as_meta() == {
        "metric": "macro-F1",
        "without_extra": 0.3,
        "with_extra": 0.4,
        "n_extra_documents": 1,
    }


# --- the user's rows in the pipeline -------------------------------------------------------------

ONLY_ENTITIES = ("syntax", "speech_acts", "progress", "commitments", "domains")


def test_a_user_gazetteer_row_gives_an_entity_with_its_key(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "name;label;key;aliases\nStichting Noordzeekust;ORG;noordzeekust_foundation;SNK\n",
        encoding="utf-8",
    )
    nlp = build_nlp(exclude=ONLY_ENTITIES, user_data={"gazetteer": str(path)})
    doc = nlp("De Stichting Noordzeekust (SNK) en de Europese Unie steunen de hervormingen.")
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
        ("Stichting Noordzeekust", "ORG", "noordzeekust_foundation"),
        ("SNK", "ORG", "noordzeekust_foundation"),
        ("Europese Unie", "ORG", "eu"),  # the shipped gazetteer still applies
    ]


@pytest.mark.slow  # a second or more: make test runs it, make test-fast does not
def test_a_user_lexicon_term_counts_for_its_domain(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text("term\tdomain\nnoordzeekust\tclimate_environment\n", encoding="utf-8")
    segment = Segment("p1", "point", "De noordzeekust en nog eens de noordzeekust.", None)
    only_domains = ONLY_ENTITIES[:-1] + ("entities",)
    shipped = build_nlp(exclude=only_domains).get_pipe("domains").model
    mine = build_nlp(exclude=only_domains, user_data={"lexicon": str(path)})
    (before,) = shipped.classify([segment])
    (after,) = mine.get_pipe("domains").model.classify([segment])
    assert "climate_environment" not in before[0] and "climate_environment" in after[0]
