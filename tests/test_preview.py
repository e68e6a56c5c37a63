"""What a reviewer sees of each message, in JSON, Markdown (rendered as GitHub would) and
text."""

from __future__ import annotations

import json

from builders import campaign, plan_of

from reconciler.remote import Credits
from reconciler.render.plan import render_json
from reconciler.schema import validator_for

TEMPLATE = {"name": "summer_launch", "language": {"code": "pt_PT"},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": "VIP"}]}]}
EMOJI_SMS = "a" * 100 + "😀" + "b" * 49


def campaigns() -> list:
    return [
        campaign("Sms", body=EMOJI_SMS),
        campaign("Wa", channel="whatsapp", sender_id="+244", body="*20% off* this weekend"),
        campaign("Tpl", channel="whatsapp", sender_id="+244", body=None, template=TEMPLATE,
                 template_text="Olá {{1}}, a coleção chegou."),
        campaign("Slack", channel="slack", sender_id="bot", body="Shipped :tada: <!channel>"),
    ]


def previews() -> dict[str, dict]:
    doc = json.loads(render_json(plan_of(campaigns(), credits=Credits(10**6, "USD"))))
    assert list(validator_for("plan.schema.json").iter_errors(doc)) == []
    return {c["name"]: c["preview"] for c in doc["campaigns"]}


def test_the_json_preview_of_an_sms_has_its_encoding_segments_and_flagged_characters() -> None:
    sms = previews()["Sms"]
    assert sms["encoding"] == "UCS-2"
    assert [(s["start"], s["end"]) for s in sms["segments"]] == [(0, 67), (67, 133),
                                                                 (133, 150)]
    assert sms["flags"] == [{"offset": 100, "char": "😀", "kind": "ucs2"}]


def test_the_json_preview_has_the_displayed_text_and_its_spans() -> None:
    found = previews()
    assert found["Wa"]["text"] == "20% off this weekend"
    assert found["Wa"]["spans"] == [{"start": 0, "end": 7, "kind": "bold", "target": None}]
    assert found["Tpl"]["text"] == "Olá VIP, a coleção chegou."


def test_the_json_preview_has_the_mass_mentions() -> None:
    slack = previews()["Slack"]
    assert slack["text"] == "Shipped 🎉 @channel"
    assert [(m["source"], m["name"]) for m in slack["mentions"]] == [("<!channel>", "channel")]
