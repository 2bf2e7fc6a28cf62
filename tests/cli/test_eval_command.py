"""`ediplomacy eval sentiment` and `eval emotion`: labelled files and the shared validation sets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ediplomacy.cli.main import build
from ediplomacy.nlp.evaluation import (
    EMOTION,
    EMOTION_LABELS,
    Figures,
    class_scores,
    macro_scores,
    read_labelled_file,
)

runner = CliRunner()


@pytest.fixture(autouse=True, scope="module")
def data_dir(finetuned_data_dir: Path) -> Iterator[Path]:
    """The session's data directory, where the fine-tuned encoder is already built."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EDIPLOMACY_DATA_DIR", str(finetuned_data_dir))
        yield finetuned_data_dir


TSV = (
    "text\tlabel\n"
    "Pelayanan KBRI sangat buruk dan lambat\tnegative\n"
    "Terima kasih KBRI, pelayanannya cepat dan ramah sekali\tpositive\n"
    "this line has no label column\n"
    "Jadwal pelayanan paspor hari Senin sampai Jumat\t1\n"
    "Petugasnya kasar dan tidak membantu sama sekali\t0\n"
    "Bagus sekali\tmaybe\n"
    '"Quoted" tweets keep their quotes\tneutral\n'
)


def test_file_with_a_malformed_line_is_scored_and_the_line_reported(tmp_path: Path) -> None:
    path = tmp_path / "labelled.tsv"
    path.write_text(TSV, encoding="utf-8")
    result = runner.invoke(build(), ["eval", "sentiment", "--file", str(path), "--json",
                                     "--lang", "id"])  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    [entry] = payload["files"]
    assert entry["name"] == "labelled.tsv"
    assert entry["n"] == 5
    assert 0 <= entry["macro_recall"] <= 1 and 0 <= entry["macro_f1"] <= 1
    assert entry["macro_f1"] > entry["baselines"]["majority"]["macro_f1"]
    assert [problem.split(": ")[0] for problem in entry["skipped_rows"]] == [
        f"{path}:4", f"{path}:7",
    ]  # fmt: skip
    assert f"{path}:4" in result.stderr
    assert read_labelled_file(path).texts[-1] == '"Quoted" tweets keep their quotes'
    # the fine-tuned head is scored beside the frozen one, on the same rows
    assert 0 <= entry["finetuned"]["macro_f1"] <= 1 and 0 <= entry["finetuned"]["macro_recall"] <= 1
    assert entry["finetuned"]["macro_f1"] > entry["baselines"]["majority"]["macro_f1"]
    assert entry["ensemble"]["macro_f1"] > entry["baselines"]["majority"]["macro_f1"]
    for figures in (entry, entry["finetuned"], entry["ensemble"]):  # by class, mean = macro-F1
        assert set(figures["f1_by_class"]) == {"negative", "neutral", "positive"}
        mean = sum(figures["f1_by_class"].values()) / 3
        assert mean == pytest.approx(figures["macro_f1"], abs=1e-3)
    table = runner.invoke(build(), ["eval", "sentiment", "--file", str(path), "--lang", "id"],
                          env={"COLUMNS": "200"})  # fmt: skip
    assert table.exit_code == 0
    assert _header(table.stdout)[3:7] == ["frozen", "rec.", "tuned", "ensemble"]
    frozen = runner.invoke(build(), ["eval", "sentiment", "--file", str(path), "--json",
                                     "--frozen-only"])  # fmt: skip
    assert frozen.exit_code == 0
    assert not {"finetuned", "ensemble"} & set(json.loads(frozen.stdout)["files"][0])
    frozen_table = runner.invoke(build(), ["eval", "sentiment", "--file", str(path),
                                           "--frozen-only"], env={"COLUMNS": "200"})  # fmt: skip
    assert frozen_table.exit_code == 0 and "ensemble" not in frozen_table.stdout
    assert _header(frozen_table.stdout) == ["data", "lang", "n", "frozen", "rec.", "majority"]


def _header(table: str) -> list[str]:
    """The column names of the first table printed (its header row)."""
    line = next(line for line in table.splitlines() if "data" in line and "frozen" in line)
    return [cell.strip() for cell in line.replace("┃", "|").split("|") if cell.strip()]


def test_csv_with_other_column_names_and_numeric_labels(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        'sentiment,sentence\n2,"Great help, thanks!"\n0,"Awful,\nslow"\n9,"odd"\n0,"Bad"\n'
    )
    labelled = read_labelled_file(path)
    assert labelled.labels == ["positive", "negative", "negative"]
    assert labelled.texts == ["Great help, thanks!", "Awful, slow", "Bad"]
    assert [problem.split(": ")[0] for problem in labelled.problems] == [f"{path}:5"]
    result = runner.invoke(build(), ["eval", "sentiment", "--file", str(path), "--file",
                                     str(path), "--lang", "en"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "mine.csv" in result.stdout and "VADER" in result.stdout


@pytest.mark.parametrize("content", [None, "no header here\tat all\n", "text\tlabel\n"])
def test_unreadable_file_is_one_line_error(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "bad.tsv"
    if content is not None:
        path.write_text(content)
    result = runner.invoke(build(), ["eval", "sentiment", "--file", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error:") and result.stderr.count("\n") == 1
    assert "bad.tsv" in result.stderr


def test_macro_scores() -> None:
    gold = ["positive", "negative", "neutral", "neutral"]
    f1, recall = macro_scores(gold, ["positive", "neutral", "neutral", "neutral"],
                              ["negative", "neutral", "positive"])  # fmt: skip
    assert recall == pytest.approx((0 + 1 + 1) / 3)
    assert f1 == pytest.approx((0 + 0.8 + 1) / 3)
    predicted = ["positive", "neutral", "neutral", "neutral"]
    by_class = class_scores(gold, predicted, ["negative", "neutral", "positive"])
    assert by_class == {
        "negative": (0.0, 0.0), "neutral": (pytest.approx(0.8), 1.0), "positive": (1.0, 1.0),
    }  # fmt: skip
    assert class_scores(gold, predicted, EMOTION_LABELS) == {}  # classes that never occur
    figures = Figures.of(gold, ["positive", "negative", "positive", "neutral"],
                         ["negative", "neutral", "positive"])  # fmt: skip
    assert figures.f1_by_class == pytest.approx(
        {"negative": 1.0, "neutral": 2 / 3, "positive": 2 / 3}
    )
    assert figures.macro_f1 == pytest.approx(7 / 9) and figures.macro_recall == pytest.approx(5 / 6)


@pytest.mark.slow
def test_shared_validation_sets(shared_data: Path) -> None:
    result = runner.invoke(build(), ["eval", "sentiment", "--data", str(shared_data), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    names = [entry["name"] for entry in payload["datasets"]]
    assert names[0] == "smsa" and len(names) == 9
    by_name = {entry["name"]: entry for entry in payload["datasets"]}
    assert by_name["smsa"]["n"] == 1260 and by_name["smsa"]["macro_f1"] > 0.8
    assert "vader" in by_name["umsab-en"]["baselines"]
    assert "vader" not in by_name["umsab-es"]["baselines"]
    for entry in payload["datasets"]:
        assert entry["macro_f1"] > entry["baselines"]["majority"]["macro_f1"] + 0.1
    assert payload["umsab_average"]["macro_f1"] > 0.55
    # the fine-tuned head beats the frozen one on validation (ENCODER_CARD.md: 0.888, 0.628)
    assert by_name["smsa"]["finetuned"]["macro_f1"] > by_name["smsa"]["macro_f1"]
    average = payload["umsab_average"]
    assert average["finetuned"]["macro_f1"] > average["macro_f1"]
    # the ensemble (the default) beats both: docs/models.md, The ensemble
    assert by_name["smsa"]["ensemble"]["macro_f1"] > by_name["smsa"]["finetuned"]["macro_f1"]
    assert average["ensemble"]["macro_f1"] > average["finetuned"]["macro_f1"]


EMOTION_CSV = (
    "emotion,tweet\n"
    'anger,"Saya marah sekali, petugas kedutaan membentak kami tanpa alasan!"\n'
    "anger,Kesal banget antre lima jam dan loketnya malah ditutup\n"
    'fear,"Saya takut sekali, gempa susulan terus terjadi dan kami belum bisa pulang"\n'
    'fear,"Ngeri, banjirnya makin tinggi dan kami terjebak di hotel"\n'
    'Happy,"Senang sekali paspor saya sudah jadi, terima kasih KBRI!"\n'
    "joy,Hore akhirnya bisa pulang\n"
    'happy,"Hore, akhirnya bisa pulang ke tanah air hari ini"\n'
    'love,"Aku sayang kamu, selamat ulang tahun sayangku"\n'
    "love,Cintaku untuk Indonesia tidak akan pernah pudar\n"
    "sadness\n"
    "sadness,Sedih sekali mendengar kabar duka dari keluarga korban\n"
    'sadness,"Hati saya hancur, teman kami meninggal dalam kecelakaan itu"\n'
)


def test_emotion_file_is_scored_by_class_frozen_and_finetuned(tmp_path: Path) -> None:
    path = tmp_path / "emotions.csv"
    path.write_text(EMOTION_CSV, encoding="utf-8")
    labelled = read_labelled_file(path, EMOTION)
    assert labelled.labels[4] == "happy"  # labels are read case-insensitively
    assert [problem.split(": ")[0] for problem in labelled.problems] == [
        f"{path}:7", f"{path}:11",
    ]  # fmt: skip
    assert "not anger/fear/happy/love/sadness" in labelled.problems[0]
    result = runner.invoke(build(), ["eval", "emotion", "--file", str(path), "--lang", "id",
                                     "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    [entry] = json.loads(result.stdout)["files"]
    assert entry["name"] == "emotions.csv" and entry["n"] == 10 and entry["language"] == "id"
    assert set(entry["baselines"]) == {"majority"}  # VADER reads sentiment, not emotion
    majority = entry["baselines"]["majority"]["macro_f1"]
    for figures in (entry, entry["finetuned"], entry["ensemble"]):
        assert set(figures["f1_by_class"]) == set(EMOTION_LABELS)
        mean = sum(figures["f1_by_class"].values()) / len(EMOTION_LABELS)
        assert mean == pytest.approx(figures["macro_f1"], abs=1e-3)
        assert figures["macro_f1"] > majority + 0.5  # 9 of 10 right for both when written
    table = runner.invoke(build(), ["eval", "emotion", "--file", str(path), "--lang", "id"],
                          env={"COLUMNS": "200"})  # fmt: skip
    assert table.exit_code == 0, table.output
    assert _header(table.stdout)[3:7] == ["frozen", "rec.", "tuned", "ensemble"]
    assert "F1 by class" in table.stdout
    # the rows of the by-class table (the only one with edges): one per model
    models = [line.split("│")[2].strip() for line in table.stdout.splitlines()
              if line.startswith("│ ")]  # fmt: skip
    assert models == ["frozen", "fine-tuned", "ensemble"], models
    assert "sadness" in table.stdout and "VADER" not in table.stdout
    frozen = runner.invoke(build(), ["eval", "emotion", "--file", str(path), "--json",
                                     "--frozen-only"])  # fmt: skip
    assert frozen.exit_code == 0 and "finetuned" not in json.loads(frozen.stdout)["files"][0]


def test_emotion_errors_are_one_line(tmp_path: Path) -> None:
    sentiment_file = tmp_path / "sentiment.tsv"
    sentiment_file.write_text("text\tlabel\nBagus sekali\tpositive\n", encoding="utf-8")
    for args, message in (
        (["--file", str(sentiment_file)], "no usable labelled rows"),
        (["--data", str(tmp_path)], "no emotion data under"),
        (["--file", str(sentiment_file), "--head", "sentiment"], "does not predict anger/"),
    ):
        result = runner.invoke(build(), ["eval", "emotion", "--frozen-only", *args])
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.startswith("error:") and result.stderr.count("\n") == 1
        assert message in result.stderr


@pytest.mark.slow
def test_emotion_on_the_emot_validation_split(shared_data: Path) -> None:
    result = runner.invoke(build(), ["eval", "emotion", "--data", str(shared_data), "--json"])
    assert result.exit_code == 0, result.output
    [entry] = json.loads(result.stdout)["datasets"]
    assert (entry["name"], entry["language"], entry["n"]) == ("emot", "id", 440)
    assert entry["macro_f1"] > entry["baselines"]["majority"]["macro_f1"] + 0.4
    assert set(entry["f1_by_class"]) == set(EMOTION_LABELS)
    # the fine-tuned head beats the frozen one on validation (ENCODER_CARD.md: 0.699, 0.659)
    assert entry["finetuned"]["macro_f1"] > entry["macro_f1"] > 0.6
    assert entry["ensemble"]["macro_f1"] > entry["finetuned"]["macro_f1"]  # the default
