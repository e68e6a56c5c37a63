"""Names for lists and senders, resolved per environment: one definition, two accounts whose
list and sender IDs differ, each sent its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from e2e import KEY, invoke, posts

from reconciler.sandbox.account import seed_for
from reconciler.sandbox.app import SandboxApp

DEFINITIONS = """\
defaults:
  channel: sms
  contact_list: customers
  sender: brand
  scheduled_at: 2099-03-01T09:00:00Z
campaigns:
  - name: Spring Sale
    body: "Spring sale. Reply STOP to opt out."
  - name: VIP Preview
    contact_list: vip
    body: "VIP preview. Reply STOP to opt out."
  - name: Partner Note
    contact_list_id: lst_{env}_partners
    sender_id: MYBRAND{tag}
    environments: [{env}]
    body: "Partners only. Reply STOP to opt out."
"""


def configuration(staging_url: str, production_url: str, *, drop: str = "") -> str:
    vip = "" if drop == "vip" else "      vip: lst_production_vip\n"
    return (
        "senders: {brand: MYBRANDSTA}\n"
        "environments:\n"
        "  staging:\n"
        f"    api_url: {staging_url}\n"
        "    api_key_env: ZEXA_STAGING_API_KEY\n"
        "    contact_lists: {customers: lst_staging_customers, vip: lst_staging_vip}\n"
        "  production:\n"
        f"    api_url: {production_url}\n"
        "    state: campaigns.state.json\n"
        "    contact_lists:\n"
        "      customers: lst_production_customers\n"
        f"{vip}"
        "    senders: {brand: MYBRANDPRO}\n"
    )


@pytest.fixture
def accounts(serve, workdir: Path):  # type: ignore[no-untyped-def]
    staging = serve(SandboxApp(seed=seed_for("staging")))
    production = serve(SandboxApp(seed=seed_for("production")))
    folder = workdir / "campaigns"
    folder.mkdir()
    (folder / "sales.yaml").write_text(DEFINITIONS.format(env="staging", tag="STA"),
                                       encoding="utf-8")
    (workdir / ".campaigns.yaml").write_text(configuration(staging.url, production.url),
                                             encoding="utf-8")
    env = {"ZEXA_API_KEY": KEY, "ZEXA_STAGING_API_KEY": KEY, "NO_COLOR": "1",
           "GITHUB_ACTIONS": "", "CAMPAIGNS_INFLIGHT_GRACE": "0.5"}
    return staging, production, env


def sent(app: SandboxApp) -> dict[str, tuple[str, str]]:
    return {c.name: (c.contact_list_id, c.sender_id) for c in app.account.campaigns
            if not c.id.startswith("cmp_seed")}


def test_each_environment_sends_its_own_list_and_sender_ids(accounts, workdir: Path) -> None:
    staging, production, env = accounts
    plan = invoke(["plan", "--env", "staging"], env)
    assert plan.exit_code == 0, plan.output
    assert "sms to customers → lst_staging_customers from brand → MYBRANDSTA" in plan.output
    assert invoke(["apply", "--env", "staging", "--auto-approve"], env).exit_code == 0
    assert invoke(["apply", "--env", "production", "--auto-approve"], env).exit_code == 0
    new_staging = {n: v for n, v in sent(staging.app).items() if n in
                   ("Spring Sale", "VIP Preview", "Partner Note")}
    new_production = {n: v for n, v in sent(production.app).items() if n in
                      ("Spring Sale", "VIP Preview", "Partner Note")}
    assert new_staging == {"Spring Sale": ("lst_staging_customers", "MYBRANDSTA"),
                           "VIP Preview": ("lst_staging_vip", "MYBRANDSTA"),
                           "Partner Note": ("lst_staging_partners", "MYBRANDSTA")}
    assert new_production == {"Spring Sale": ("lst_production_customers", "MYBRANDPRO"),
                              "VIP Preview": ("lst_production_vip", "MYBRANDPRO")}
    # Each environment's state, each in sync with its own account.
    for name in ("staging", "production"):
        again = invoke(["plan", "--env", name, "--detailed-exitcode"], env)
        assert again.exit_code == 0, again.output


def test_an_alias_an_environment_lacks_stops_its_plan_before_any_request(
    accounts, workdir: Path
) -> None:
    staging, production, env = accounts
    (workdir / ".campaigns.yaml").write_text(
        configuration(staging.url, production.url, drop="vip"), encoding="utf-8")
    for command in (["plan", "--env", "production"],
                    ["apply", "--env", "production", "--auto-approve"]):
        result = invoke(command, env)
        assert result.exit_code == 1
        assert "campaigns/sales.yaml:10:19: error: contact_list: 'vip' is not in the " \
            "`contact_lists:` of environment 'production' (it has: customers)" in result.output
    assert production.app.request_log == []  # nothing was asked, let alone sent
    assert invoke(["plan", "--env", "staging"], env).exit_code == 0


def test_validate_checks_every_environment_or_the_one_named(accounts, workdir: Path) -> None:
    staging, production, env = accounts
    (workdir / ".campaigns.yaml").write_text(
        configuration(staging.url, production.url, drop="vip"), encoding="utf-8")
    every = invoke(["validate"], env)
    assert every.exit_code == 1
    assert "'vip' is not in the `contact_lists:` of environment 'production'" in every.output
    assert invoke(["validate", "--env", "staging"], env).exit_code == 0
    named = invoke(["validate", "--env", "production"], env)
    assert named.exit_code == 1 and "environment 'production'" in named.output
    unknown = invoke(["validate", "--env", "qa"], env)
    assert unknown.exit_code == 1 and "--env qa: no such environment" in unknown.output
    assert staging.app.request_log == [] and production.app.request_log == []


def test_the_review_shows_both_the_alias_and_the_id(accounts) -> None:
    _, _, env = accounts
    markdown = invoke(["plan", "--env", "production", "--format", "markdown"], env).output
    assert "customers → `lst_production_customers`" in markdown
    assert "brand → `MYBRANDPRO`" in markdown
    doc = json.loads(invoke(["plan", "--env", "production", "--format", "json"], env).output)
    spring = next(c for c in doc["campaigns"] if c["name"] == "Spring Sale")
    assert spring["aliases"] == {"contact_list": "customers", "sender": "brand"}
    assert spring["payload"]["contact_list_id"] == "lst_production_customers"
    assert spring["payload"]["sender_id"] == "MYBRANDPRO"
    partner = json.loads(invoke(["plan", "--env", "staging", "--format", "json"],
                                env).output)["campaigns"]
    assert "aliases" not in next(c for c in partner if c["name"] == "Partner Note")


def test_an_alias_that_now_names_another_list_is_a_changed_definition(
    accounts, workdir: Path
) -> None:
    """The digest covers what is sent: the resolved ID, not the alias."""
    staging, _, env = accounts
    assert invoke(["apply", "--env", "staging", "--auto-approve"], env).exit_code == 0
    config = workdir / ".campaigns.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("vip: lst_staging_vip", "vip: lst_staging_newsletter"),
                      encoding="utf-8")
    result = invoke(["plan", "--env", "staging"], env)
    assert result.exit_code == 1
    assert "! error    VIP Preview   campaigns/sales.yaml:9:11: name\n" \
        "      the definition changed after its campaign" in result.output
    assert posts(staging.app) == 3


def test_a_campaign_may_name_an_id_where_its_defaults_name_an_alias(tmp_path: Path) -> None:
    from reconciler.definitions import load_definitions

    (tmp_path / "c.yaml").write_text(
        "defaults: {channel: sms, contact_list: customers, sender_id: MYBRAND}\n"
        "campaigns:\n"
        "  - {name: A, body: a}\n"
        "  - {name: B, body: b, contact_list_id: lst_b}\n", encoding="utf-8")
    result = load_definitions([str(tmp_path / "c.yaml")])
    assert result.ok, [d.text() for d in result.diagnostics]
    a, b = result.campaigns
    assert (a.contact_list, a.contact_list_id) == ("customers", "")
    assert (b.contact_list, b.contact_list_id) == (None, "lst_b")


def test_each_environment_has_its_own_sandbox_account(workdir: Path) -> None:
    folder = workdir / "campaigns"
    folder.mkdir()
    (folder / "sales.yaml").write_text(DEFINITIONS.format(env="staging", tag="STA"),
                                       encoding="utf-8")
    (workdir / ".campaigns.yaml").write_text(
        "senders: {brand: MYBRANDSTA}\n"
        "environments:\n"
        "  staging:\n"
        "    contact_lists: {customers: lst_staging_customers, vip: lst_staging_vip}\n"
        "  production:\n"
        "    contact_lists: {customers: lst_production_customers, vip: lst_production_vip}\n"
        "    senders: {brand: MYBRANDPRO}\n", encoding="utf-8")
    env = {"NO_COLOR": "1", "GITHUB_ACTIONS": ""}
    staging = invoke(["apply", "--env", "staging", "--sandbox", "--auto-approve"], env)
    assert staging.exit_code == 0, staging.output
    assert "Plan for staging against the embedded sandbox of staging" in staging.output
    production = invoke(["apply", "--env", "production", "--sandbox", "--auto-approve"], env)
    assert production.exit_code == 0, production.output
    accounts = {name: json.loads((workdir / f".campaigns-sandbox.{name}.json").read_text(
        encoding="utf-8"))
                for name in ("staging", "production")}
    lists = {name: {c["contact_list_id"] for c in doc["campaigns"]}
             for name, doc in accounts.items()}
    assert "lst_staging_customers" in lists["staging"]
    assert "lst_production_customers" in lists["production"]
    assert not lists["staging"] & lists["production"]
    states = {json.loads((workdir / f"campaigns.{name}.state.json").read_text(
        encoding="utf-8"))["api_url"]
              for name in ("staging", "production")}
    assert states == {"sandbox:staging", "sandbox:production"}


def test_the_environments_walkthrough_runs_as_written(tmp_path: Path) -> None:
    """docs/environments.md: its files, then its commands, in an empty folder."""
    import os
    import re
    import subprocess
    import sys

    from conftest import ROOT

    page = (ROOT / "docs" / "environments.md").read_text(encoding="utf-8")
    walkthrough = page.split("## A walkthrough on the sandbox", 1)[1].split("\n## ", 1)[0]
    for block in re.findall(r"```yaml\n(.*?)```", walkthrough, re.S):
        name = block.split("\n", 1)[0].removeprefix("# ").strip()
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(block, encoding="utf-8")
    (commands,) = re.findall(r"```sh\n(.*?)```", walkthrough, re.S)
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "NO_COLOR": "1", "GITHUB_ACTIONS": "", "CAMPAIGNS_ENV": ""}
    outputs = []
    for line in commands.strip().splitlines():
        done = subprocess.run(line, shell=True, cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120, encoding="utf-8")
        assert done.returncode == 0, line + "\n" + done.stdout + done.stderr
        outputs.append(done.stdout)
    assert "sms to customers → lst_staging_customers from brand → MYBRANDSTA" in outputs[1]
    sent = {name: {(c["name"], c["contact_list_id"], c["sender_id"])
                   for c in json.loads(
                       (tmp_path / f".campaigns-sandbox.{name}.json").read_text(
                           encoding="utf-8"))["campaigns"]
                   if c["name"].startswith("Spring")}
            for name in ("staging", "production")}
    assert sent == {
        "staging": {("Spring Sale 2099", "lst_staging_customers", "MYBRANDSTA"),
                    ("Spring VIP Preview 2099", "lst_staging_vip", "MYBRANDSTA")},
        "production": {("Spring Sale 2099", "lst_production_customers", "MYBRANDPRO"),
                       ("Spring VIP Preview 2099", "lst_production_vip", "MYBRANDPRO")}}
    assert "2 campaigns; lineage" in outputs[4]
