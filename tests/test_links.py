"""Links in messages: the finder on real-world bodies, where each link stands, and the
checks that need no network."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from builders import campaign
from conftest import EXAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.channels.sms import segments, sms_info
from reconciler.checks.config import CheckConfig, LinkRules
from reconciler.checks.links import find_links, located_links, punycode
from reconciler.checks.review import run_checks
from reconciler.config import load_config
from reconciler.definitions import load_file
from reconciler.diagnostics import Severity

DEFAULT = LinkRules()


def texts(body: str) -> list[str]:
    return [link.text for link in find_links(body)]


def findings(body: str, rules: LinkRules = DEFAULT, **fields: object) -> list[tuple[str, str]]:
    c = campaign(body=body, **fields)  # type: ignore[arg-type]
    return [(d.code, d.message) for d in run_checks([c], CheckConfig(links=rules))
            if d.code.startswith("link-")]


def codes(body: str, rules: LinkRules = DEFAULT, **fields: object) -> list[str]:
    return [code for code, _ in findings(body, rules, **fields)]


# -- the finder -----------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "found"), [
    ("Get 20% off this weekend only. Shop now at myapp.ao. Responda STOP para cancelar.",
     ["myapp.ao"]),
    ("Promoção relâmpago! Até 50% em myapp.ao/promo?utm_source=sms. Responda SAIR.",
     ["myapp.ao/promo?utm_source=sms"]),
    ("Olá Maria, a sua encomenda chegou: https://www.myapp.co.ao/track/123 (ver "
     "https://x.ao/a). Obrigado!", ["https://www.myapp.co.ao/track/123", "https://x.ao/a"]),
    (":wrench: See <https://status.myapp.ao/incidents/42|the status page> now",
     ["https://status.myapp.ao/incidents/42"]),
    ("*https://myapp.ao/black_friday* and _myapp.ao/vip_", ["https://myapp.ao/black_friday",
                                                           "myapp.ao/vip"]),
    ("https://myapp.ao/a*b_c stays whole", ["https://myapp.ao/a*b_c"]),
    ("Write to news@myapp.ao, e.g. today; 20.5 litres at 02:00. data: 10 Aug", []),
    ("www.x.com and WWW.MYAPP.AO/X!", ["www.x.com", "WWW.MYAPP.AO/X"]),
    ("Loja: ção.ao/promo", ["ção.ao/promo"]),
    ("http://127.0.0.1:8000/ok.", ["http://127.0.0.1:8000/ok"]),
    ("(https://myapp.ao/wiki/Luanda_(city)) end", ["https://myapp.ao/wiki/Luanda_(city)"]),
])
def test_the_finder_on_real_world_bodies(body: str, found: list[str]) -> None:
    assert texts(body) == found


def test_the_examples_links_are_found_and_nothing_else() -> None:
    found = {}
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        campaigns, _ = load_file(str(path))
        for c in campaigns:
            found[c.name] = [p.link.text for p in located_links(c)]
    assert found["Weekend Sale - June 2099"] == ["myapp.ao"]
    # "04:00 (WAT)", "503." and the sender news@myapp.ao are not links.
    assert [t for found_in in found.values() for t in found_in] == ["myapp.ao"]


_PIECES = ["http://", "HTTPS://", "javascript:", "data:text/html,", "file:/", "vbscript:",
           "myapp.ao", "shop.myapp.co.ao", "e.g.", "bit.ly/x", "www.", ".ao", ".", ":", "/",
           "?", "#", "(", ")", "[", "]", "*", "_", "~", "'", '"', "…", "@", "-", " ", "\n",
           "\t", "\xa0", "\u2028", "\x1c", "ção", "x", "20.5", "%20", "|", ">", ",", "!",
           "ſ", "K"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=3)), max_size=16))
def test_links_found_word_by_word_are_those_found_in_the_whole_text(pieces) -> None:  # type: ignore[no-untyped-def]
    import reconciler.checks.links as links

    text = "".join(pieces)
    assert links._links_in.__wrapped__(text) == links._scan(text)  # type: ignore[attr-defined]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["http://", "https://", "HTTP://", "ttp://", " ", "\n", "\xa0",
                                 "\u2028", "\x85", "a", "/", ":"]), max_size=8),
       st.integers(0, 60))
def test_a_space_after_the_scheme_is_seen_as_the_pattern_sees_it(pieces, start) -> None:  # type: ignore[no-untyped-def]
    import re

    from reconciler.checks.linkfindings import _after_a_spaced_scheme

    text = "".join(pieces)
    start = min(start, len(text))
    assert _after_a_spaced_scheme(text, start) == \
        bool(re.search(r"https?://\s+$", text[:start]))


def test_a_bare_domain_opens_as_https_and_keeps_its_host() -> None:
    (link,) = find_links("Shop at myapp.ao/x now")
    assert (link.url, link.host, link.bare, link.start) == ("https://myapp.ao/x", "myapp.ao",
                                                            True, 8)


def test_javascript_and_data_urls_are_found() -> None:
    assert texts("Tap javascript:alert(1) or data:text/html;base64,PHNjcmlwdD4=") == \
        ["javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4="]


def test_the_public_suffix_list_is_read_without_any_network(monkeypatch) -> None:
    """The bundled list only: with every socket refused, a fresh list still
    knows that `ao` and `co.ao` are suffixes and `g` is not."""
    import reconciler.checks.links as links

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the suffix list tried the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    links._suffixes.cache_clear()
    links.registered_domain.cache_clear()
    assert links.registered_domain("shop.myapp.co.ao") == "myapp.co.ao"
    assert links.registered_domain("e.g") == ""


def test_a_domain_is_judged_as_the_whole_list_judges_it_in_unicode_or_punycode() -> None:
    """The list is loaded without its punycode copies, and a host asked in Unicode: for
    hosts made from every rule of the bundled list, as written and in punycode, the
    answers are those of the list as the library loads it by default."""
    from importlib.resources import files

    from publicsuffixlist import PublicSuffixList

    import reconciler.checks.links as links

    whole = PublicSuffixList(accept_unknown=False, only_icann=True)
    text = files("publicsuffixlist").joinpath("public_suffix_list.dat").read_text("utf-8")
    rules = [line.split()[0] for line in text.splitlines()
             if line.strip() and not line.startswith("//")]
    assert len(rules) > 5000
    hosts = [host for rule in rules
             for suffix in (rule.lstrip("!").replace("*", "x"),)
             for written in (suffix, f"shop.{suffix}", f"Shop.{suffix}.", f"xn--zz.{suffix}")
             for host in (written, punycode(written))]
    differ = [host for host in hosts
              if links.registered_domain(host) != (whole.privatesuffix(host) or "")]
    assert differ == []


def test_a_10000_character_url_is_one_link_and_a_clear_finding() -> None:
    url = "https://myapp.ao/" + "a" * 10_000
    assert texts(f"Veja {url} hoje") == [url]
    ((code, message),) = findings(f"Veja {url} hoje", channel="telegram")
    assert code == "link-form" and "is 10,017 characters long" in message
    assert len(message) < 400  # the URL is shortened in the message


def test_500_links_in_one_body_give_ten_findings_and_a_count() -> None:
    body = " ".join(f"http://myapp.ao/{i}" for i in range(500))
    found = findings(body, channel="telegram")
    assert [c for c, _ in found] == ["link-insecure"] * 11
    assert found[-1][1] == "and 490 more links like those above (500 in all)"


# -- where a link stands --------------------------------------------------------------------


def test_each_link_is_located_at_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "sale.yaml"
    path.write_text("name: Sale\nchannel: sms\ncontact_list_id: lst_a\nsender_id: BRAND\n"
                    "body: |\n  Black Friday!\n  Shop at http://myapp.ao/a and\n"
                    "  also http://myapp.ao/a. STOP\n", encoding="utf-8")
    (c,), _ = load_file(str(path))
    places = [(str(p.location), p.link.text) for p in located_links(c)]
    file = str(path)
    assert places == [(f"{file}:7:11", "http://myapp.ao/a"), (f"{file}:8:8", "http://myapp.ao/a")]


def test_a_link_hidden_by_an_escape_is_located_at_its_field(tmp_path: Path) -> None:
    path = tmp_path / "sale.yaml"
    path.write_text('name: Sale\nchannel: sms\ncontact_list_id: lst_a\nsender_id: BRAND\n'
                    'body: "Veja http://myapp.ao/promo\\u00e7ao"\n', encoding="utf-8")
    (c,), _ = load_file(str(path))
    (place,) = located_links(c)
    assert (place.location.line, place.location.column) == (5, 7)


def test_a_template_buttons_url_parameter_is_checked() -> None:
    template = {"name": "launch", "language": {"code": "pt_PT"}, "components": [
        {"type": "body", "text": "Veja http://myapp.ao/novidades", "parameters": []},
        {"type": "button", "sub_type": "url", "index": 0,
         "parameters": [{"type": "text", "text": "bit.ly/xyz"}]}]}
    c = campaign(channel="whatsapp", body=None, template=template)
    found = [(d.code, d.field) for d in run_checks([c], CheckConfig())
             if d.code.startswith("link-")]
    assert found == [("link-insecure", "template.components[0].text"),
                     ("link-shortener", "template.components[1].parameters[0].text")]


def test_a_template_whose_parameters_and_buttons_are_not_lists_holds_no_links() -> None:
    """The schema leaves a component's insides open: parameters or buttons that are not a
    list are read as none (they crashed the link checks)."""
    template = {"name": "launch", "language": {"code": "pt_PT"}, "components": [
        {"type": "button", "sub_type": "url", "parameters": 5, "buttons": 7}]}
    c = campaign(channel="whatsapp", body=None, template=template)
    assert [d.code for d in run_checks([c], CheckConfig()) if d.code.startswith("link-")] \
        == []


# -- the offline checks ---------------------------------------------------------------------


def test_a_javascript_link_is_an_error() -> None:
    c = campaign(body="Tap javascript:alert(document.cookie) now")
    (d,) = [d for d in run_checks([c], CheckConfig()) if d.code == "link-scheme"]
    assert d.severity is Severity.ERROR and "javascript: link" in d.message


def test_a_data_url_is_an_error() -> None:
    assert codes("Open data:text/html,<b>hi</b>") == ["link-scheme"]


def test_plain_http_warns() -> None:
    assert codes("Shop at http://myapp.ao/x") == ["link-insecure"]


def test_a_shortener_warns_and_the_list_is_configurable() -> None:
    assert codes("Shop at bit.ly/abc") == ["link-shortener"]
    assert codes("Shop at go.myapp.ao/abc", LinkRules(shorteners=("go.myapp.ao",))) == \
        ["link-shortener"]
    assert codes("Shop at bit.ly/abc", LinkRules(shorteners=())) == []


def test_an_idn_domain_shows_its_punycode_beside_it() -> None:
    ((code, message),) = findings("Loja: https://ção.ao/promo")
    assert code == "link-idn"
    assert "'ção.ao' is an internationalised domain, sent as xn--o-xfal.ao" in message
    assert punycode("ção.ao") == "xn--o-xfal.ao"


@pytest.mark.parametrize(("body", "says"), [
    ("Shop at https:// myapp.ao/x", "holds a space"),
    ("Shop at https://myapp.ao/black /friday", "followed by a space and more path"),
    ("Shop at https://myapp.ao/black%20friday", "holds a space"),
    ("Shop at https://myapp.ao/a|b", "holds '|'"),
    ("Shop at https://myapp.ao/promoção", "holds 'ç' (U+00E7) in its path"),
])
def test_a_space_or_a_typo_prone_character_warns(body: str, says: str) -> None:
    found = [m for c, m in findings(body) if c == "link-form"]
    assert len(found) == 1 and says in found[0]


def test_a_link_cut_by_an_sms_segment_boundary_warns() -> None:
    body = "a" * 150 + " https://myapp.ao/black-friday " + "b" * 100
    assert [s.start for s in segments(body)] == [0, 153] and sms_info(body).segments == 2
    ((code, message),) = findings(body)
    assert code == "link-segment" and "character 154 of the body" in message


def test_a_link_inside_one_segment_is_not_cut() -> None:
    assert codes("a" * 160 + " https://myapp.ao/black-friday " + "b" * 100) == []


def test_a_link_without_the_required_params_warns() -> None:
    rules = LinkRules(require_params=("utm_source", "utm_campaign"))
    ((code, message),) = findings("Shop at myapp.ao/x?utm_source=sms", rules)
    assert code == "link-params" and "lacks utm_campaign" in message
    assert codes("Shop at myapp.ao/x?utm_source=sms&utm_campaign=bf", rules) == []


def test_required_params_apply_only_to_the_allowed_domains_when_they_are_set() -> None:
    rules = LinkRules(require_params=("utm_campaign",), allowed_domains=("myapp.ao",))
    assert codes("Shop at shop.myapp.ao/x", rules) == ["link-params"]
    assert codes("Rate us at play.google.com/store", rules) == ["link-domain"]


def test_a_domain_outside_the_allowed_ones_warns() -> None:
    rules = LinkRules(allowed_domains=("myapp.ao",))
    ((code, message),) = findings("Go to myapp-promo.ao/x", rules)
    assert code == "link-domain" and "not one of the allowed_domains (myapp.ao)" in message


def test_a_link_check_can_be_skipped_by_a_campaign() -> None:
    assert codes("Shop at http://myapp.ao/x", skip_checks=("link-insecure",)) == []


# -- configuration --------------------------------------------------------------------------


def test_links_settings_are_read_from_the_configuration(tmp_path: Path) -> None:
    (tmp_path / ".campaigns.yaml").write_text(
        "links:\n  require_params: [utm_source, utm_campaign]\n"
        "  allowed_domains: [MyApp.ao]\n  shorteners: [go.myapp.ao]\n  check: true\n"
        "  timeout: 2.5\n", encoding="utf-8")
    config, problems = load_config(folder=tmp_path)
    assert problems == []
    assert config.links == LinkRules(("utm_source", "utm_campaign"), ("myapp.ao",),
                                     ("go.myapp.ao",), True, 2.5)


def test_a_bad_links_setting_is_located(tmp_path: Path) -> None:
    (tmp_path / ".campaigns.yaml").write_text(
        "links:\n  allowed_domains: [https://myapp.ao/]\n", encoding="utf-8")
    _, problems = load_config(folder=tmp_path)
    (problem,) = problems
    assert (problem.location.line, problem.field) == (2, "links.allowed_domains[0]")
    assert "must be a domain name like myapp.ao" in problem.message
