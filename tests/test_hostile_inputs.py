"""No input reaches an internal error: special files, the environment, names that look alike,
and arbitrary text in every field and variable (property tests)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.cli import cli
from reconciler.client import ConfigError
from reconciler.definitions import load_definitions
from reconciler.render.common import safe
from reconciler.workflow.connect import check_url, is_loopback, read_api_key

VALID = {"name": "Sale", "channel": "sms", "contact_list_id": "lst_a", "sender_id": "BRAND",
         "body": "hi", "scheduled_at": "2031-01-01T09:00:00Z"}
FIELDS = [*VALID, "description", "purpose"]
KEY = "zk_test_0123456789"


def run(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """The CLI as `main` runs it: a usage error is exit 1, any other exception a bug."""
    result = CliRunner().invoke(cli, args, env={"GITHUB_ACTIONS": "", "NO_COLOR": "1", **env},
                                standalone_mode=False)
    if isinstance(result.exception, click.ClickException):
        return 1, result.output + result.exception.format_message()
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))
    return result.exit_code, result.output


# -- special files -------------------------------------------------------------------------


@pytest.mark.posix
def test_a_named_pipe_in_the_folder_is_refused_not_waited_on(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text("\n".join(f"{k}: {v}" for k, v in VALID.items()),
                                      encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.yaml")
    code, out = run(["validate", str(tmp_path)], {})
    assert code == 1
    assert f"{tmp_path / 'pipe.yaml'}:1:1: error: is not a regular file (a named pipe)" in out


@pytest.mark.posix
def test_a_link_to_a_device_is_refused_not_read_forever(tmp_path: Path) -> None:
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    code, out = run(["validate", str(tmp_path / "zero.yaml")], {})
    assert code == 1 and "is not a regular file (a device)" in out


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(6 * 1024 * 1024)
    code, out = run(["validate", str(big)], {})
    assert code == 1 and "is larger than 5 MiB; split it" in out


# -- names that a reviewer cannot tell apart --------------------------------------------------


@pytest.mark.parametrize("twin", ["sale", "SALE", "Sal\u00e9"], ids=["case", "upper", "nfc"])
def test_names_equal_after_nfc_and_case_folding_are_an_error_at_both_places(
    tmp_path: Path, twin: str
) -> None:
    first = "Sal\u00e9" if twin == "Sal\u00e9" else "Sale"
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(f'name: "{first}"\nchannel: sms\ncontact_list_id: lst_a\nsender_id: B\nbody: x\n',
                 encoding="utf-8")
    # NFD in the second file: the same letters, stored as 'e' plus a combining accent.
    other = "Sal" + "e\u0301" if twin == "Sal\u00e9" else twin
    escaped = json.dumps(other)
    b.write_text(f"name: {escaped}\nchannel: sms\ncontact_list_id: lst_a\nsender_id: B\nbody: x\n",
                 encoding="utf-8")
    result = load_definitions([str(a), str(b)])
    assert not result.ok
    places = {d.location.file for d in result.errors}
    if twin == "Sal\u00e9":  # an NFD name is refused on its own, at its place
        assert places == {str(b)}
        assert "normal form C" in result.errors[0].message
    else:
        assert places == {str(a), str(b)}
        assert all("differ only in case or Unicode normalisation" in d.message
                   for d in result.errors)


# -- the environment ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://127.0.0.1:abc/v1", "https://[::1/v1", "https://"])
def test_a_malformed_api_url_is_a_config_error_naming_the_variable(url: str) -> None:
    with pytest.raises(ConfigError, match="ZEXA_API_URL"):
        check_url(url)


@pytest.mark.parametrize("key", ["zx_t\u00e9st", "zx_test\nsecond", "zx test", "zx\x1btest"])
def test_a_key_that_cannot_be_a_key_is_refused_naming_the_source_not_the_value(key: str) -> None:
    with pytest.raises(ConfigError) as refused:
        read_api_key(None, {"ZEXA_API_KEY": key})
    assert "ZEXA_API_KEY" in str(refused.value)
    assert key.strip() not in str(refused.value)


def test_a_two_line_key_file_is_refused_clearly(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("zk_first\nzk_second\n", encoding="utf-8")
    key_file.chmod(0o600)
    with pytest.raises(ConfigError, match="more than one line"):
        read_api_key(str(key_file))


@pytest.mark.posix
def test_a_key_file_others_can_read_gives_a_warning(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(KEY + "\n", encoding="utf-8")
    key_file.chmod(0o644)
    said: list[str] = []
    assert read_api_key(str(key_file), warn=said.append).reveal() == KEY
    assert said == [f"Warning: the API key file {key_file} can be read by others (mode "
                    f"0644); run: chmod 600 {key_file}"]
    key_file.chmod(0o600)
    said.clear()
    read_api_key(str(key_file), warn=said.append)
    assert said == []


def test_an_intent_with_a_bad_epoch_in_the_journal_is_a_clear_error(tmp_path: Path) -> None:
    journal = tmp_path / "campaigns.state.json.journal"
    journal.write_text(json.dumps({"op": "intent", "name": "A", "key": "k", "at": "x",
                                   "epoch": "abc", "lineage": "l", "api_url": "sandbox"}) + "\n",
                       encoding="utf-8")
    (tmp_path / "c.yaml").write_text(definition("name", "A", True), encoding="utf-8")
    code, out = run(["plan", "--sandbox", "--state", str(tmp_path / "campaigns.state.json"),
                     str(tmp_path / "c.yaml")],
                    {"CAMPAIGNS_SANDBOX_DATA": str(tmp_path / "sandbox.json")})
    assert code == 1 and f"{journal}:1: an intent's `epoch` must be a number" in out


def test_text_output_never_carries_a_raw_control_character() -> None:
    assert safe("ok\x1b[2J\x07 \u202eevil\nnext\tcol") == \
        "ok\\x1b[2J\\x07 <U+202E>evil\nnext\tcol"


def test_text_output_escapes_each_character_that_can_drive_a_terminal_and_no_other() -> None:
    """Every character of the Basic Multilingual Plane, alone and inside a line: C0 and C1
    controls but newline and tab as `\\xNN`, bidi controls and marks and the line and
    paragraph separators as `<U+XXXX>`, everything else as it is."""
    import unicodedata

    from reconciler.channels import unseen

    shown_as_code = unseen.BIDI_CONTROLS | unseen.BIDI_MARKS | unseen.LINE_SEPARATORS
    for code in range(0x10000):
        ch = chr(code)
        if ch in "\n\t":
            expected = ch
        elif unicodedata.category(ch) == "Cc":
            expected = f"\\x{code:02x}"
        elif ch in shown_as_code:
            expected = f"<U+{code:04X}>"
        else:
            expected = ch
        assert safe(ch) == expected, hex(code)
        assert safe(f"a\n{ch}b") == f"a\n{expected}b", hex(code)


@pytest.mark.parametrize("color", [False, True])
def test_an_sms_at_a_terminal_carries_no_raw_bidi_control_with_or_without_colour(
        color: bool) -> None:
    """A bidi control makes an SMS UCS-2, and the text plan marks such a character: in
    red with colour, in [ ] without; either way it is shown as its code point."""
    from reconciler.channels import sms
    from reconciler.render.message import text_message

    (line,) = text_message(sms.view("Pay \u202eevil", "BRAND"), color)
    assert "\u202e" not in line and "<U+202E>" in line
    assert color or line == "Pay [<U+202E>]evil"


# -- property tests ------------------------------------------------------------------------------


def definition(field: str, value: str, quoted: bool) -> str:
    fields = dict(VALID)
    lines = [f"{k}: {json.dumps(v)}" for k, v in fields.items() if k != field]
    lines.append(f"{field}: {json.dumps(value) if quoted else value}")
    return "\n".join(lines) + "\n"


def field_text_property(examples: int):  # type: ignore[no-untyped-def]
    @settings(max_examples=examples, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(field=st.sampled_from(FIELDS), value=st.text(max_size=300), quoted=st.booleans())
    def check(tmp_path: Path, field: str, value: str, quoted: bool) -> None:
        path = tmp_path / "c.yaml"
        path.write_text(definition(field, value, quoted), encoding="utf-8")
        code, out = run(["validate", str(path)], {})
        assert code in (0, 1) and "Internal error" not in out

    return check


test_any_text_in_any_field_gives_exit_0_or_1 = field_text_property(60)
test_any_text_in_any_field_many_examples = pytest.mark.stress(field_text_property(3000))


def env_property(examples: int):  # type: ignore[no-untyped-def]
    @settings(max_examples=examples, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(variable=st.sampled_from(["ZEXA_API_URL", "ZEXA_API_KEY", "CAMPAIGNS_STATE",
                                     "CAMPAIGNS_INFLIGHT_GRACE", "CAMPAIGNS_ENV",
                                     "NO_COLOR"]),
           # What an environment can hold: no NUL, no lone surrogates.
           value=st.text(st.characters(blacklist_characters="\x00",
                                       blacklist_categories=("Cs",)), max_size=80))
    def check(tmp_path: Path, serve, variable: str, value: str) -> None:  # type: ignore[no-untyped-def]
        server = serve()
        folder = tmp_path / "campaigns"
        folder.mkdir(exist_ok=True)
        (folder / "c.yaml").write_text(definition("name", "Sale", True), encoding="utf-8")
        env = {"ZEXA_API_URL": server.url, "ZEXA_API_KEY": KEY,
               "CAMPAIGNS_STATE": str(tmp_path / "s.json")}
        if variable == "ZEXA_API_URL" and is_loopback_or_unusable(value):
            env[variable] = value  # never a URL that would leave this machine
        elif variable != "ZEXA_API_URL":
            env[variable] = value
        code, out = run(["plan", str(folder)], env)
        assert code in (0, 1) and "Internal error" not in out

    return check


def is_loopback_or_unusable(value: str) -> bool:
    try:
        check_url(value)
    except ConfigError:
        return True  # refused before any request
    host = urlsplit(value).hostname
    return host is not None and is_loopback(host)


test_any_text_in_the_environment_gives_exit_0_or_1 = env_property(40)
test_any_text_in_the_environment_many_examples = pytest.mark.stress(env_property(1000))


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "abc"])
def test_an_unusable_inflight_grace_is_a_clear_error(tmp_path: Path, value: str) -> None:
    (tmp_path / "c.yaml").write_text(definition("name", "A", True), encoding="utf-8")
    code, out = run(["plan", "--sandbox", "--state", str(tmp_path / "s.json"),
                     str(tmp_path / "c.yaml")],
                    {"CAMPAIGNS_SANDBOX_DATA": str(tmp_path / "sandbox.json"),
                     "CAMPAIGNS_INFLIGHT_GRACE": value})
    assert code == 1 and "CAMPAIGNS_INFLIGHT_GRACE must be a number of seconds" in out


@pytest.mark.parametrize("value", ["inf", "nan", "Infinity"])
def test_a_retry_after_that_is_not_a_finite_number_is_ignored(value: str) -> None:
    from reconciler.client import parse_retry_after

    assert parse_retry_after(value) is None


def test_a_template_placeholder_with_thousands_of_digits_is_not_an_internal_error(
    tmp_path: Path
) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(
        "name: W\nchannel: whatsapp\ncontact_list_id: lst_a\nsender_id: BRAND\n"
        "template:\n  name: promo\n  language: {code: pt_PT}\n  components:\n"
        f"    - type: body\n      text: 'Hi {{{{{'9' * 5000}}}}}'\n"
        "      parameters: [{type: text, text: x}]\n", encoding="utf-8")
    code, out = run(["validate", str(path)], {})
    assert code in (0, 1) and "Internal error" not in out


# -- output streams that cannot encode every character -------------------------------------


def test_output_to_a_pipe_in_a_code_page_becomes_utf8_and_a_terminal_gets_escapes(
    monkeypatch,
) -> None:
    """On Windows, Python writes pipes in the ANSI code page (cp1252): a campaign named with
    an emoji must not end a plan in an internal error."""
    import io
    import sys

    from reconciler.cli.group import encodable_output

    class Terminal(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    pipe = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    terminal = Terminal(io.BytesIO(), encoding="cp1252")
    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    monkeypatch.setattr(sys, "stdout", pipe)
    monkeypatch.setattr(sys, "stderr", terminal)
    encodable_output()
    for stream in (pipe, terminal):
        stream.write("Olá 🎉 → ✅\n")
        stream.flush()
    assert pipe.buffer.getvalue().decode("utf-8") == "Olá 🎉 → ✅\n"
    assert terminal.buffer.getvalue().decode("cp1252") == "Olá \\U0001f389 \\u2192 \\u2705\n"


def test_a_plan_of_emoji_names_through_a_code_page_pipe_ends_well(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "a.yaml").write_text(
        'name: "Olá 🎉 Sale"\nchannel: sms\ncontact_list_id: lst_customers\n'
        'sender_id: MYBRAND\nbody: "Olá! Reply STOP to opt out."\n'
        "scheduled_at: 2099-01-01T09:00:00Z\n", encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "GITHUB_ACTIONS": "",
           "NO_COLOR": "1"}
    for args in (["plan", "--sandbox"], ["validate"], ["apply", "--sandbox", "--yes"]):
        done = subprocess.run([sys.executable, "-m", "reconciler", *args], cwd=tmp_path,
                              env=env, capture_output=True)
        assert done.returncode == 0, done.stderr.decode("cp1252")
        assert b"Internal error" not in done.stderr
    assert "Olá \\U0001f389 Sale" in done.stdout.decode("cp1252")


@pytest.mark.posix
def test_a_write_past_the_file_size_limit_is_one_clean_error(tmp_path: Path) -> None:
    """EFBIG names no file: the message has no empty place before its colon."""
    import resource
    import subprocess
    import sys

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))

    done = subprocess.run([sys.executable, "-m", "reconciler", "schema", "-o",
                           str(tmp_path / "schema.json")], preexec_fn=small_files,
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 1
    assert done.stderr == "Error: File too large\n"


URL_KEY = "K3y1nTh3Qu3ryStr1ng"


def state_for(url: str) -> str:
    return json.dumps({"version": 1, "lineage": "lin", "serial": 1, "api_url": url,
                       "campaigns": {}}, indent=2, sort_keys=True) + "\n"


def run_tool(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "reconciler", *args], cwd=cwd,
                          env={**os.environ, "GITHUB_ACTIONS": "", "NO_COLOR": "1", **env},
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("url", [f"https://api.example.test/v1?api_key={URL_KEY}",
                                 f"https://api.example.test/v1#{URL_KEY}",
                                 f"https://api.example.test/v1/?token={URL_KEY}&x=1"])
@pytest.mark.parametrize("with_state", [False, True])
def test_a_query_string_or_fragment_in_the_api_url_is_refused_and_never_shown(
    tmp_path: Path, url: str, with_state: bool
) -> None:
    from e2e import write_campaigns

    write_campaigns(tmp_path / "campaigns", 1)
    if with_state:  # a state made for another API: the binding check must not print it
        (tmp_path / "campaigns.state.json").write_text(
            state_for("https://other.example.test/v1"), encoding="utf-8")
    env = {"ZEXA_API_URL": url, "ZEXA_API_KEY": "zk_test_0123456789abcdef"}
    for command in (["plan"], ["plan", "--format", "json"], ["apply", "--auto-approve"],
                    *([["status"]] if with_state else [])):
        code, out, err = run_tool(command, env, tmp_path)
        assert code == 1, (command, out, err)
        assert "holds a query string or a fragment" in err
        assert URL_KEY not in out and URL_KEY not in err


def test_a_state_bound_to_a_url_with_a_key_in_it_never_shows_the_key(tmp_path: Path) -> None:
    from e2e import write_campaigns

    write_campaigns(tmp_path / "campaigns", 1)
    (tmp_path / "campaigns.state.json").write_text(
        state_for(f"https://api.example.test/v1?api_key={URL_KEY}"), encoding="utf-8")
    env = {"ZEXA_API_URL": "https://api.example.test/v1", "ZEXA_API_KEY": "zk_test_01234567"}
    code, out, err = run_tool(["apply", "--auto-approve"], env, tmp_path)
    assert code == 1 and "belongs to https://api.example.test/v1?***, not" in err
    assert URL_KEY not in out + err
    code, out, err = run_tool(["state", "list"], env, tmp_path)
    assert code == 0 and "for https://api.example.test/v1?***." in out
    assert URL_KEY not in out + err


def test_a_url_as_shown_masks_credentials_query_and_fragment() -> None:
    from reconciler.secret import public_url

    assert public_url("https://u:p@h.example/v1?k=1#f") == "https://***@h.example/v1?***"
    assert public_url("https://h.example/v1#a?b") == "https://h.example/v1#***"
    assert public_url("https://h.example/v1") == "https://h.example/v1"
