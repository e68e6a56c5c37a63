"""WhatsApp as its app shows a message: `*bold*`, `_italic_`, `~strike~`,
```` ```monospace``` ````, `` `inline code` ``, `> quote`, `- ` and `1. ` lists.

A business-initiated broadcast is an approved template; what the customer reads is the
template's text with its `{{n}}` filled from the body component's parameters. That text
is not sent (WhatsApp holds it), so a definition may keep it in `template_text` for the
review.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from reconciler.channels.markup import Atom, line_atoms, parse, without_overlaps
from reconciler.channels.view import MessageView, Span

PLACEHOLDER = re.compile(r"\{\{\s*([0-9]{1,9})\s*\}\}")
_MONOSPACE = re.compile(r"```(.+?)```", re.DOTALL)


def formatted(source: str, extra: Sequence[Atom] = ()) -> tuple[str, tuple[Span, ...]]:
    """The displayed text and its spans, by WhatsApp's rules."""
    atoms = [Atom(m.start(), m.end(), m.group(1), "monospace") for m in
             _MONOSPACE.finditer(source)]
    found = parse(source, without_overlaps([*atoms, *extra, *line_atoms(source)]))
    return found.text, found.spans


def body_parameters(template: Mapping[str, Any]) -> list[str]:
    """The body component's parameters as the customer reads them."""
    for component in template.get("components") or ():
        if isinstance(component, Mapping) and component.get("type") == "body":
            return [_parameter_text(p) for p in component.get("parameters") or ()]
    return []


def _parameter_text(parameter: Any) -> str:
    if not isinstance(parameter, Mapping):
        return str(parameter)
    for key in ("text", "payload"):
        if isinstance(parameter.get(key), str):
            return str(parameter[key])
    rest = {k: v for k, v in parameter.items() if k != "type"}
    return json.dumps(rest, ensure_ascii=False, sort_keys=True)


def template_body_text(template: Mapping[str, Any]) -> str | None:
    """A body component's own `text`, when the definition carries it there."""
    for component in template.get("components") or ():
        if isinstance(component, Mapping) and component.get("type") == "body" \
                and isinstance(component.get("text"), str):
            return str(component["text"])
    return None


def _details(template: Mapping[str, Any]) -> list[tuple[str, str]]:
    language = template.get("language")
    code = language.get("code") if isinstance(language, Mapping) else None
    out = [("template", str(template.get("name"))), ("language", str(code))]
    for component in template.get("components") or ():
        if not isinstance(component, Mapping):
            continue
        kind = str(component.get("type", "component"))
        for n, parameter in enumerate(component.get("parameters") or (), start=1):
            out.append((f"{kind} {{{{{n}}}}}", _parameter_text(parameter)))
    return out


def filled(text: str, parameters: Sequence[str]) -> list[Atom]:
    """Each `{{n}}` as the parameter that fills it (left as written when there is none)."""
    atoms = []
    for m in PLACEHOLDER.finditer(text):
        n = int(m.group(1))
        shown = parameters[n - 1] if 1 <= n <= len(parameters) else m.group()
        atoms.append(Atom(m.start(), m.end(), shown, "placeholder", str(n)))
    return atoms


def view(body: str | None, template: Mapping[str, Any] | None, sender_id: str,
         template_text: str | None = None) -> MessageView:
    if template is None:
        text, spans = formatted(body or "")
        return MessageView("whatsapp", sender_id, text, body or "", spans)
    sent = json.dumps(template, indent=2, ensure_ascii=False)
    details = tuple(_details(template))
    approved = template_text if template_text is not None else template_body_text(template)
    if approved is None:
        return MessageView(
            "whatsapp", sender_id, "", sent, details=details,
            notes=(f"the text lives in the approved template {template.get('name')!r}; "
                   "give it in `template_text` to see it here as customers will",))
    parameters = body_parameters(template)
    text, spans = formatted(approved, filled(approved, parameters))
    notes = []
    if any(s.kind == "placeholder" and s.target is not None and
           int(s.target) > len(parameters) for s in spans):
        notes.append("a placeholder has no parameter: WhatsApp rejects the message")
    return MessageView("whatsapp", sender_id, text, sent, spans, details=details,
                       notes=tuple(notes))
