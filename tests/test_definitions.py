"""Loading definition files: the valid examples, the corpus of mistakes, and the YAML traps."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

from reconciler.definitions import load_definitions, parse_document, to_utc

INVALID = sorted((ROOT / "tests" / "invalid").glob("*.yaml"))

SMS = """\
name: {name}
channel: sms
contact_list_id: lst_a
sender_id: BRAND
body: hi
"""


def expected_messages(path: Path) -> list[str]:
    """`# expect: LINE:COL: field: message` lines, as the tool prints them: an error's with
    `error: ` after the place (a warning's say `warning: ` themselves)."""
    lines = path.read_bytes().decode("latin-1").splitlines()
    return [re.sub(r"^(\d+:\d+: )(?!warning: )", r"\1error: ", line.split("expect: ", 1)[1])
            for line in lines if line.startswith("# expect: ")]


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_each_mistake_gives_its_exact_message_and_place(path: Path) -> None:
    os.chdir(ROOT)
    relative = str(path.relative_to(ROOT))
    result = load_definitions([relative])
    assert not result.ok
    assert [d.text() for d in result.diagnostics] == [
        f"{relative}:{m}" for m in expected_messages(path)
    ]


def test_the_examples_are_valid_and_cover_every_channel() -> None:
    result = load_definitions([str(EXAMPLES)])
    assert result.diagnostics == []
    channels = {c.channel for c in result.campaigns}
    assert channels == {"sms", "whatsapp", "telegram", "email", "slack"}
    assert any(c.template for c in result.campaigns)
    assert any(c.channel == "email" and c.scheduled_at for c in result.campaigns)


def test_defaults_are_merged_and_a_campaign_own_field_wins(write) -> None:
    path = write(
        "multi.yaml",
        """\
defaults:
  channel: sms
  contact_list_id: lst_all
  sender_id: BRAND
campaigns:
  - {name: A, body: one}
  - {name: B, body: two, contact_list_id: lst_vip}
""",
    )
    result = load_definitions([path])
    assert result.ok
    a, b = result.campaigns
    assert (a.contact_list_id, b.contact_list_id) == ("lst_all", "lst_vip")
    assert a.location.line == 6 and b.location.line == 7
    # A field that came from defaults is located where defaults set it.
    assert a.location_of("contact_list_id").line == 3


def test_scheduled_at_is_normalised_to_utc_for_the_api(write) -> None:
    path = write("s.yaml", SMS.format(name="A") + "scheduled_at: 2030-03-01T09:30:00+01:00\n")
    (campaign,) = load_definitions([path]).campaigns
    assert campaign.scheduled_at == "2030-03-01T08:30:00Z"
    assert campaign.payload()["scheduled_at"] == "2030-03-01T08:30:00Z"


def test_to_utc_keeps_fractions_and_accepts_lowercase_z() -> None:
    assert to_utc("2030-01-01T00:00:00.5z") == "2030-01-01T00:00:00.500000Z"
    assert to_utc("2030-01-01T00:00:00-05:00") == "2030-01-01T05:00:00Z"
    assert to_utc("2030-01-01t00:00:00.1234567+01:00") == "2029-12-31T23:00:00.123456Z"


def test_unquoted_timestamps_yes_and_on_stay_text(write) -> None:
    path = write(
        "t.yaml",
        SMS.format(name="yes").replace("body: hi", "body: on")
        + "description: 2030-01-01\n",
    )
    result = load_definitions([path])
    assert result.ok, [d.text() for d in result.diagnostics]
    (c,) = result.campaigns
    assert (c.name, c.body, c.description) == ("yes", "on", "2030-01-01")


def test_no_scheduled_at_and_null_both_mean_send_immediately(write) -> None:
    a = write("a.yaml", SMS.format(name="A"))
    b = write("b.yaml", SMS.format(name="B") + "scheduled_at: null\n")
    result = load_definitions([a, b])
    assert [c.payload()["scheduled_at"] for c in result.campaigns] == [None, None]


def test_local_only_fields_never_reach_the_payload(write) -> None:
    path = write(
        "l.yaml",
        SMS.format(name="A") + "purpose: marketing\ndescription: x\nprevious_names: [Old A]\n",
    )
    (c,) = load_definitions([path]).campaigns
    assert set(c.payload()) == {
        "name", "channel", "contact_list_id", "sender_id", "body", "scheduled_at"
    }
    assert c.previous_names == ("Old A",)


def test_duplicate_names_across_files_name_both_places(write) -> None:
    a = write("a.yaml", SMS.format(name="Sale"))
    b = write("b.yaml", SMS.format(name="Sale"))
    result = load_definitions([a, b])
    (error,) = result.errors
    assert error.location.file == b and error.location.line == 1
    assert f"already defined at {a}:1:7" in error.message


def test_names_equal_but_for_case_or_spacing_are_a_warning(write) -> None:
    a = write("a.yaml", SMS.format(name="Summer  Sale"))
    b = write("b.yaml", SMS.format(name="summer sale"))
    result = load_definitions([a, b])
    assert result.ok
    (warning,) = result.warnings
    assert "only in case or spacing" in warning.message and warning.location.file == b


def test_folders_are_read_recursively_sorted_and_hidden_ones_skipped(tmp_path: Path) -> None:
    for rel in ["b/z.yaml", "a.yml", "b/a.yaml", ".hidden/x.yaml", "b/.y.yaml", "notes.txt"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(SMS.format(name=rel), encoding="utf-8")
    result = load_definitions([str(tmp_path)])
    assert [os.path.relpath(f, tmp_path) for f in result.files] == ["a.yml", "b/a.yaml", "b/z.yaml"]


def test_a_missing_path_and_an_empty_folder_are_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = load_definitions([str(tmp_path / "nope"), str(tmp_path / "empty")])
    assert [d.message for d in result.errors] == [
        "no *.yaml or *.yml files in this folder",
        "no such file or folder",
    ]


def test_every_error_of_every_file_is_reported_at_once(write) -> None:
    a = write("a.yaml", "name: A\nchannel: fax\n")
    b = write("b.yaml", "name: B\nchannel: sms\ncontact_list_id: x\n")
    result = load_definitions([a, b])
    assert sorted((d.location.file, d.location.line, d.field) for d in result.errors) == [
        (a, 1, "body"), (a, 1, "contact_list_id"), (a, 1, "sender_id"), (a, 2, "channel"),
        (b, 1, "body"), (b, 1, "sender_id"), (b, 3, "contact_list_id")]


def test_a_billion_laughs_file_ends_in_a_located_error() -> None:
    bomb = ["a: &a [" + ",".join(["lol"] * 10) + "]"]
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        bomb.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    campaigns, diagnostics = parse_document("bomb.yaml", "\n".join(bomb).encode())
    assert campaigns == []
    assert "alias bomb" in diagnostics[0].message


def test_a_file_over_the_size_limit_is_refused_without_parsing() -> None:
    _, diagnostics = parse_document("big.yaml", b"#" * (6 * 1024 * 1024))
    assert diagnostics[0].message == "is larger than 5 MiB; split it"


def test_digest_ignores_name_and_local_fields_but_not_the_message(write) -> None:
    a = write("a.yaml", SMS.format(name="A") + "description: one\n")
    b = write("b.yaml", SMS.format(name="B") + "description: two\n")
    c = write("c.yaml", SMS.format(name="C").replace("body: hi", "body: hello"))
    ca, cb, cc = load_definitions([a, b, c]).campaigns
    assert ca.digest() == cb.digest() != cc.digest()


def test_paths_are_written_with_forward_slashes_as_windows_finds_them(
    monkeypatch, workdir: Path
) -> None:
    """On Windows a folder walk yields `campaigns\\sale.yaml`: messages, plans and the
    state must say `campaigns/sale.yaml`, as on Linux, so that a state applied on either
    reads the same, and files sort the same."""
    import ntpath
    from pathlib import PureWindowsPath

    from reconciler.definitions import loader as definitions

    monkeypatch.setattr(definitions, "PurePath", PureWindowsPath)
    monkeypatch.setattr(definitions.os.path, "normpath", ntpath.normpath)
    assert definitions.portable_path("campaigns\\sub\\..\\sale.yaml") == "campaigns/sale.yaml"
    assert definitions.portable_path(".\\campaigns\\a.yaml") == "campaigns/a.yaml"
    assert definitions.portable_path("C:\\work\\campaigns\\a.yaml") == "C:/work/campaigns/a.yaml"
    Path("campaigns").mkdir()  # the folder given must exist

    def walk_as_windows(top: str):
        yield "campaigns", ["a"], ["aB.yaml"]
        yield "campaigns\\a", [], ["z.yaml"]

    monkeypatch.setattr(definitions.os, "walk", walk_as_windows)
    monkeypatch.setattr(definitions.os.path, "join", ntpath.join)
    files, problems = definitions.discover(["campaigns"])
    # Sorted as Linux sorts them: `campaigns\\aB.yaml` would come first ('B' < '\\').
    assert (files, problems) == (["campaigns/a/z.yaml", "campaigns/aB.yaml"], [])
