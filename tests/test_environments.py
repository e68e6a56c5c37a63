"""Staging and production from one repository: `environments:` and `--env`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from e2e import future, invoke, names_in_account, state_ids, write_campaigns

from reconciler.render.plan import MARKER

STAGING_KEY = "zk_staging_0001"
PRODUCTION_KEY = "zk_production_0002"


@pytest.fixture
def two_accounts(serve, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    staging = serve(api_key=STAGING_KEY)
    production = serve(api_key=PRODUCTION_KEY)
    (tmp_path / ".campaigns.yaml").write_text(f"""\
environments:
  staging:
    api_url: {staging.url}
    api_key_env: ZEXA_STAGING_API_KEY
    state: campaigns.staging.state.json
    checks: {{disable: [quiet-hours]}}
  production:
    api_url: {production.url}
    api_key_env: ZEXA_API_KEY
    state: campaigns.state.json
""", encoding="utf-8")
    write_campaigns(tmp_path / "campaigns", 3)
    env = {"ZEXA_STAGING_API_KEY": STAGING_KEY, "ZEXA_API_KEY": PRODUCTION_KEY,
           "GITHUB_ACTIONS": "", "NO_COLOR": "1", "ZEXA_API_URL": "", "CAMPAIGNS_ENV": "",
           "CAMPAIGNS_STATE": ""}
    return staging, production, env


def test_apply_to_staging_then_production_still_has_everything_to_create(
    two_accounts, tmp_path: Path
) -> None:
    staging, production, env = two_accounts
    applied = invoke(["apply", "--env", "staging", "--auto-approve"], env)
    assert applied.exit_code == 0, applied.output
    assert "Plan for staging against " + staging.url in applied.output
    assert len(state_ids(tmp_path / "campaigns.staging.state.json")) == 3
    assert not (tmp_path / "campaigns.state.json").exists()
    planned = invoke(["plan", "--env", "production", "--detailed-exitcode"], env)
    assert planned.exit_code == 2, planned.output
    assert "Plan for production against " + production.url in planned.output
    assert "Plan: 3 to create, 0 to adopt, 0 in sync, 0 errors." in planned.output
    assert not any(n.startswith("Campaign") for n in names_in_account(production.app))
    assert json.loads((tmp_path / "campaigns.staging.state.json").read_text(
        encoding="utf-8"))["api_url"] \
        == staging.url


def test_each_environment_reads_its_own_key_variable(two_accounts) -> None:
    _, _, env = two_accounts
    result = invoke(["plan", "--env", "staging"], {**env, "ZEXA_STAGING_API_KEY": ""})
    assert result.exit_code == 1
    assert "no API key: set ZEXA_STAGING_API_KEY" in result.output


def test_with_environments_configured_a_command_needs_one_and_says_which_exist(
    two_accounts
) -> None:
    _, _, env = two_accounts
    for command in (["plan"], ["apply", "--auto-approve"], ["status"], ["state", "list"]):
        result = invoke(command, env)
        assert result.exit_code == 1, command
        assert "environments are configured" in result.output
        assert "production, staging" in result.output and "--env NAME" in result.output
    unknown = invoke(["plan", "--env", "prod"], env)
    assert unknown.exit_code == 1 and "--env prod: no such environment" in unknown.output
    assert invoke(["validate"], env).exit_code == 0  # validate needs none


def test_campaigns_env_selects_the_environment(two_accounts) -> None:
    _, _, env = two_accounts
    result = invoke(["plan"], {**env, "CAMPAIGNS_ENV": "staging"})
    assert result.exit_code == 0, result.output
    assert "Plan for staging" in result.output


def test_a_definition_for_staging_only_is_planned_there_only(two_accounts,
                                                             tmp_path: Path) -> None:
    _, _, env = two_accounts
    (tmp_path / "campaigns" / "staff.yaml").write_text(
        "name: Staff test send\nenvironments: [staging]\nchannel: sms\n"
        "contact_list_id: lst_partners\nsender_id: MYBRAND\nbody: Test. Reply STOP to opt out.\n"
        f"scheduled_at: {future()}\n", encoding="utf-8")
    staging = invoke(["plan", "--env", "staging"], env)
    production = invoke(["plan", "--env", "production"], env)
    assert "Staff test send" in staging.output
    assert "Staff test send" not in production.output


def test_a_definition_naming_an_unknown_environment_is_invalid(two_accounts,
                                                               tmp_path: Path) -> None:
    _, _, env = two_accounts
    (tmp_path / "campaigns" / "typo.yaml").write_text(
        "name: Typo\nenvironments: [stagign]\nchannel: sms\ncontact_list_id: lst_partners\n"
        f"sender_id: MYBRAND\nbody: Hi\nscheduled_at: {future()}\n", encoding="utf-8")
    result = invoke(["validate"], env)
    assert result.exit_code == 1
    assert ("campaigns/typo.yaml:2:15: error: environments: 'stagign' is not an environment of the "
            "configuration (configured: production, staging)") in result.output


def test_environment_checks_override_the_repository_checks(two_accounts,
                                                           tmp_path: Path) -> None:
    _, _, env = two_accounts
    write_campaigns(tmp_path / "campaigns", 1, scheduled=future(at="23:30:00"))
    staging = invoke(["plan", "--env", "staging"], env)
    production = invoke(["plan", "--env", "production"], env)
    assert "quiet hours" not in staging.output
    assert "inside the quiet hours" in production.output


def test_each_environment_has_its_own_pr_comment(two_accounts, tmp_path: Path) -> None:
    _, _, env = two_accounts
    invoke(["plan", "--env", "staging", "--markdown-out", "staging.md"], env)
    invoke(["plan", "--env", "production", "--markdown-out", "production.md"], env)
    staging = (tmp_path / "staging.md").read_text(encoding="utf-8")
    production = (tmp_path / "production.md").read_text(encoding="utf-8")
    assert staging.startswith("<!-- zexa-campaigns-plan:staging -->\n")
    assert production.startswith("<!-- zexa-campaigns-plan:production -->\n")
    assert "### Zexa campaigns plan: `staging`" in staging
    assert not staging.startswith(MARKER)


def test_without_environments_env_is_refused(serve, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_campaigns(tmp_path / "campaigns", 1)
    result = invoke(["plan", "--env", "staging", "--sandbox"],
                    {"CAMPAIGNS_SANDBOX_DATA": str(tmp_path / "s.json")})
    assert result.exit_code == 1 and "no environments are configured" in result.output
