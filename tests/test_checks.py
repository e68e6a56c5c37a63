"""Review checks: SMS encoding and segments, opt-out, quiet hours, WhatsApp, sender IDs."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from builders import campaign
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.channels.sms import sms_info
from reconciler.checks.config import CheckConfig, QuietHours
from reconciler.checks.review import run_checks, severity_of
from reconciler.config import load_config
from reconciler.diagnostics import Severity
from reconciler.sandbox.app import sms_segments

NOON = datetime(2030, 1, 1, 12, 0, tzinfo=timezone.utc)
CONFIG = CheckConfig()


def codes(c, config: CheckConfig = CONFIG, now: datetime = NOON) -> list[str]:
    return [d.code for d in run_checks([c], config, now)]


# -- encoding and segments ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "encoding", "segments"),
    [
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),  # 153 x 2
        ("a" * 307, "GSM-7", 3),
        ("ã" * 70, "UCS-2", 1),
        ("ã" * 71, "UCS-2", 2),
        ("ã" * 134, "UCS-2", 2),  # 67 x 2
        ("ã" * 135, "UCS-2", 3),
        ("€" * 80, "GSM-7", 1),  # 160 septets: extension characters take two each
        ("€" * 81, "GSM-7", 2),
        ("a" * 158 + "€", "GSM-7", 1),  # exactly 160 septets
        ("a" * 159 + "€", "GSM-7", 2),
        # An extension character whose escape would be the 153rd septet moves whole to the
        # next segment: 152 + 2 does not fit in 153.
        ("a" * 152 + "€" + "a" * 152, "GSM-7", 3),
        ("a" * 151 + "€" + "a" * 153, "GSM-7", 2),
        ("😀" * 35, "UCS-2", 1),  # 70 UTF-16 units
        ("a" * 66 + "😀" + "a" * 5, "UCS-2", 2),  # the pair does not straddle 67
    ],
)
def test_segment_boundaries(body: str, encoding: str, segments: int) -> None:
    info = sms_info(body)
    assert (info.encoding, info.segments) == (encoding, segments)


@pytest.mark.parametrize(
    ("body", "septets"),
    [
        ("Hello World", 11),  # the standard examples of GSM 03.38
        ("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ", 29),  # basic-table letters: one septet each
        ("^{}\\[~]|€", 18),  # the extension table: two septets each
        ("\f", 2),  # form feed is in the extension table
    ],
)
def test_published_gsm_examples(body: str, septets: int) -> None:
    info = sms_info(body)
    assert (info.encoding, info.length) == ("GSM-7", septets)


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("aé€[ã😀\n ç")), max_size=400))
def test_the_checks_and_the_sandbox_agree_on_segments(body: str) -> None:
    assert sms_info(body).segments == sms_segments(body)


def test_ucs2_names_the_characters_and_the_cost() -> None:
    (d,) = run_checks([campaign(body="Promoção até domingo " + "x" * 60)], CONFIG, NOON)
    assert d.code == "sms-encoding" and d.severity is Severity.WARNING
    assert "'ç' (U+00E7) at character 6 of the body" in d.message
    assert "'ã' (U+00E3) at character 7 of the body" in d.message
    assert "2 segments instead of 1, 2.0x the credits" in d.message


def test_too_many_segments_is_flagged() -> None:
    assert codes(campaign(body="a" * 400)) == ["sms-segments"]
    assert codes(campaign(body="a" * 300)) == []
    assert codes(campaign(body="a" * 300), CheckConfig(max_sms_segments=1)) == ["sms-segments"]


def test_other_channels_are_not_counted_as_sms() -> None:
    email = campaign(channel="email", sender_id="a@b.ao", body="ã" * 900)
    assert codes(email) == []


# -- opt-out --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("Big sale! Responda STOP para cancelar.", []),
        ("Big sale! Reply STOP to opt out", []),
        ("Big sale! stop", []),
        ("Big sale! Don't miss it.", ["opt-out"]),
        ("UNSTOPPABLE deals", ["opt-out"]),  # STOP inside a word does not count
    ],
)
def test_marketing_sms_needs_opt_out_wording(body: str, found: list[str]) -> None:
    assert codes(campaign(purpose="marketing", body=body)) == found


def test_opt_out_is_an_error_and_only_for_marketing() -> None:
    (d,) = run_checks([campaign(purpose="marketing", body="Sale")], CONFIG, NOON)
    assert d.severity is Severity.ERROR and "Responda STOP para cancelar" in d.message
    assert codes(campaign(purpose="transactional", body="Your code")) == []
    assert codes(campaign(body="No purpose declared")) == []


def test_opt_out_phrases_are_configurable() -> None:
    config = CheckConfig(opt_out_phrases=("Envie SAIR",))
    assert codes(campaign(purpose="marketing", body="Oferta! Envie SAIR"), config) == []
    assert codes(campaign(purpose="marketing", body="Oferta! STOP"), config) == ["opt-out"]


# -- quiet hours ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheduled", "inside"),
    [
        ("2030-06-01T20:30:00Z", True),  # 21:30 in Luanda (UTC+1)
        ("2030-06-01T20:00:00Z", True),  # 21:00: the window starts
        ("2030-06-01T06:59:00Z", True),  # 07:59
        ("2030-06-01T07:00:00Z", False),  # 08:00: the window has ended
        ("2030-06-01T12:00:00Z", False),
    ],
)
def test_quiet_hours_in_luanda(scheduled: str, inside: bool) -> None:
    found = codes(campaign(scheduled_at=scheduled))
    assert found == (["quiet-hours"] if inside else [])


def test_an_immediate_send_is_judged_at_plan_time() -> None:
    late = datetime(2030, 1, 1, 23, 30, tzinfo=timezone.utc)
    assert codes(campaign(scheduled_at=None), now=late) == ["quiet-hours"]
    assert codes(campaign(scheduled_at=None), now=NOON) == []


def test_quiet_hours_window_and_zone_are_configurable() -> None:
    config = CheckConfig(quiet_hours=QuietHours(zone="America/Sao_Paulo"))
    # 22:00 UTC is 19:00 in Sao Paulo: outside its quiet hours, inside Luanda's.
    c = campaign(scheduled_at="2030-06-01T22:00:00Z")
    assert codes(c, config) == [] and codes(c) == ["quiet-hours"]


# -- WhatsApp and sender IDs ----------------------------------------------------------------


def test_whatsapp_broadcast_without_template_is_flagged() -> None:
    assert codes(campaign(channel="whatsapp", body="Hello")) == ["whatsapp-template"]


def test_template_parameters_must_match_placeholders() -> None:
    def template(parameters: int) -> dict[str, object]:
        return {"name": "promo", "language": {"code": "pt_PT"}, "components": [
            {"type": "body", "text": "Olá {{1}}, use {{2}}",
             "parameters": [{"type": "text", "text": "x"}] * parameters}]}

    ok = campaign(channel="whatsapp", body=None, template=template(2))
    bad = campaign(channel="whatsapp", body=None, template=template(1))
    assert codes(ok) == []
    (d,) = run_checks([bad], CONFIG, NOON)
    assert "2 placeholders ({{1}}, {{2}}) but 1 parameter;" in d.message
    assert d.field == "template.components[0]"


def test_a_digits_only_sender_is_flagged() -> None:
    assert codes(campaign(sender_id="12345")) == ["sender-id"]
    assert codes(campaign(sender_id="+244912000000")) == []


# -- switching checks off -------------------------------------------------------------------


def test_a_campaign_can_skip_a_check_and_the_repository_can_disable_one() -> None:
    loud = campaign(purpose="marketing", body="Sale", scheduled_at="2030-06-01T23:00:00Z")
    assert sorted(codes(loud)) == ["opt-out", "quiet-hours"]
    assert codes(campaign(purpose="marketing", body="Sale",
                          scheduled_at="2030-06-01T23:00:00Z",
                          skip_checks=("opt-out",))) == ["quiet-hours"]
    assert codes(loud, CheckConfig(disabled=frozenset({"quiet-hours"}))) == ["opt-out"]


def test_severity_can_be_raised() -> None:
    config = CheckConfig(severity=(("quiet-hours", Severity.ERROR),))
    (d,) = run_checks([campaign(scheduled_at="2030-06-01T23:00:00Z")], config, NOON)
    assert d.severity is Severity.ERROR


def test_the_checks_a_definition_or_the_configuration_may_name_are_the_catalogues() -> None:
    """One list of check ids: the catalogue's type, its table, and the ids the schemas
    accept in `skip_checks` and `checks:` agree."""
    from typing import get_args

    from reconciler.checks.catalogue import CHECKS, CheckId
    from reconciler.schema import load_schema

    ids = list(get_args(CheckId))
    assert ids == list(CHECKS)
    campaign_schema = load_schema("campaign.schema.json")["$defs"]["campaign"]
    assert campaign_schema["properties"]["skip_checks"]["items"]["enum"] == ids
    assert load_schema("config.schema.json")["$defs"]["check"]["enum"] == ids


# -- configuration --------------------------------------------------------------------------


def test_config_from_campaigns_yaml(tmp_path: Path) -> None:
    (tmp_path / ".campaigns.yaml").write_text(
        "checks:\n  disable: [quiet-hours]\n  severity: {sms-segments: error}\n"
        "  quiet_hours: {start: '22:00', end: '07:00', timezone: Europe/Lisbon}\n"
        "  max_sms_segments: 3\nlist_sizes: {lst_a: 100}\n", encoding="utf-8")
    config, problems = load_config(folder=tmp_path)
    assert problems == []
    assert config.disabled == {"quiet-hours"} and config.max_sms_segments == 3
    assert severity_of(config, "sms-segments") is Severity.ERROR
    assert config.quiet_hours.zone == "Europe/Lisbon" and dict(config.list_sizes) == {"lst_a": 100}


def test_config_from_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.campaigns.checks]\ndisable = ["opt-out"]\n',
        encoding="utf-8")
    config, problems = load_config(folder=tmp_path)
    assert problems == [] and config.disabled == {"opt-out"}


def test_no_config_means_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert load_config(folder=tmp_path) == (CheckConfig(), [])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("checks:\n  disable: [opt-outt]\n", "2:13: checks.disable[0]: 'opt-outt' is not one of"),
        ("checks:\n  quiet_hours: {start: '25:00'}\n",
         "2:24: checks.quiet_hours.start: '25:00' must be a time of day like 21:00"),
        ("checks:\n  quiet_hours: {timezone: Mars/Base}\n",
         "1:1: checks.quiet_hours.timezone: unknown time zone 'Mars/Base'"),
        ("chekcs: {}\n", "1:1: chekcs: unknown field; did you mean 'checks'?"),
    ],
)
def test_a_bad_config_is_located(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / ".campaigns.yaml").write_text(text, encoding="utf-8")
    _, problems = load_config(folder=tmp_path)
    place, detail = message.split(": ", 1)
    assert problems and problems[0].text().startswith(
        f"{tmp_path / '.campaigns.yaml'}:{place}: error: {detail}")


# -- end to end -----------------------------------------------------------------------------

MARKETING = """\
name: Flash Sale
purpose: marketing
channel: sms
contact_list_id: lst_partners
sender_id: MYBRAND
body: "Promoção relâmpago hoje!"
scheduled_at: 2031-06-01T10:00:00Z
"""


def test_findings_appear_in_validate_and_every_plan_format(serve, tmp_path, monkeypatch):
    import json

    from e2e import env_for, future, invoke

    monkeypatch.chdir(tmp_path)
    (tmp_path / "campaigns").mkdir()
    definition = MARKETING.replace("2031-06-01T10:00:00Z", future(at="10:00:00"))
    (tmp_path / "campaigns" / "sale.yaml").write_text(definition, encoding="utf-8")
    server = serve()
    env = env_for(server)
    validate = invoke(["validate"], env)
    assert validate.exit_code == 1
    assert "campaigns/sale.yaml:6:7: error: body: a marketing SMS must tell recipients" in \
        validate.output
    assert "campaigns/sale.yaml:6:7: warning: body: needs UCS-2" in validate.output
    plan = json.loads(invoke(["plan", "--format", "json"], env).output)
    assert {d["code"] for d in plan["diagnostics"]} == {"opt-out", "sms-encoding",
                                                         "first-list"}
    assert (plan["campaigns"][0]["action"], plan["campaigns"][0]["problem"]) == (
        "error", "review-check-error")
    github = invoke(["plan", "--format", "github"], env).output
    assert "::error file=campaigns/sale.yaml,line=6,col=7," in github
    gitlab = json.loads(invoke(["plan", "--format", "gitlab"], env).output)
    assert {i["check_name"] for i in gitlab} == {"campaigns/opt-out", "campaigns/sms-encoding",
                                                 "campaigns/first-list"}
    markdown = invoke(["plan", "--format", "markdown"], env).output
    assert "a marketing SMS must tell recipients" in markdown
    applied = invoke(["apply", "--auto-approve"], env)
    assert applied.exit_code == 1 and "Apply refused: the plan has 1 error" in applied.output
    assert not any(r.method == "POST" for r in server.app.request_log)
    # Switched off for this campaign, the same plan applies.
    (tmp_path / "campaigns" / "sale.yaml").write_text(definition + "skip_checks: [opt-out]\n",
                                                      encoding="utf-8")
    assert invoke(["apply", "--auto-approve"], env).exit_code == 0


# -- mass mentions and template_text --------------------------------------------------------


def test_a_slack_mass_mention_is_a_warning_naming_it_and_who_it_pings() -> None:
    c = campaign(channel="slack", sender_id="bot", body="Release :tada:\n<!channel> read it")
    (found,) = [d for d in run_checks([c], CONFIG, NOON) if d.code == "mass-mention"]
    assert found.severity is Severity.WARNING and str(found.location) == "c.yaml:3:1"
    assert found.message.startswith("<!channel> at line 2, column 1 of the body notifies "
                                    "every member of the channel")


def test_each_mass_mention_is_named_once() -> None:
    c = campaign(channel="slack", sender_id="bot", body="@here @here <!everyone>")
    messages = [d.message for d in run_checks([c], CONFIG, NOON) if d.code == "mass-mention"]
    assert [m.split(" at ")[0] for m in messages] == ["@here", "<!everyone>"]


def test_mass_mentions_matter_only_on_slack() -> None:
    assert "mass-mention" not in codes(campaign(channel="telegram", sender_id="Bot",
                                                body="@channel hi"))


def test_a_template_text_whose_placeholders_do_not_match_the_parameters_is_flagged() -> None:
    template = {"name": "t", "language": {"code": "en"},
                "components": [{"type": "body", "parameters": [{"type": "text", "text": "A"}]}]}
    c = campaign(channel="whatsapp", sender_id="+244", body=None, template=template,
                 template_text="{{1}} and {{2}}")
    (found,) = [d for d in run_checks([c], CONFIG, NOON) if d.code == "whatsapp-template"]
    assert found.field == "template_text"
    assert "has 2 placeholders ({{1}}, {{2}}) but 1 parameter" in found.message


TEMPLATED = """\
name: Launch
channel: whatsapp
contact_list_id: lst_vip
sender_id: "+244912000000"
template_text: "Olá {{1}}, a coleção chegou."
template:
  name: summer_launch
  language: {code: pt_PT}
  components:
    - type: body
      parameters: [{type: text, text: VIP}]
scheduled_at: SCHEDULED
"""


def test_template_text_is_shown_filled_and_never_reaches_the_api(serve, tmp_path,
                                                                       monkeypatch):
    from e2e import env_for, future, invoke

    monkeypatch.chdir(tmp_path)
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "launch.yaml").write_text(
        TEMPLATED.replace("SCHEDULED", future(at="10:00:00")), encoding="utf-8")
    server = serve()
    received: list[bytes] = []
    handle = server.app.handle

    def recording(method, target, headers, body):
        received.append(body)
        return handle(method, target, headers, body)

    monkeypatch.setattr(server.app, "handle", recording)
    env = env_for(server)
    assert "│ Olá VIP, a coleção chegou." in invoke(["plan"], env).output
    assert invoke(["apply", "--auto-approve"], env).exit_code == 0
    (create,) = [b for b in received if b and b"summer_launch" in b]
    assert b"template_text" not in create and "coleção".encode() not in create
