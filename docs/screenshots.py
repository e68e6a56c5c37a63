"""Screenshots for the documentation, taken in Chromium.

- docs/plan-comment.png, the pull-request comment as a reviewer sees it: runs `campaigns
  plan campaigns.example --sandbox --format markdown` in a scratch folder, renders the
  Markdown as GitHub does (markdown-it-py, GitHub-flavoured, with mermaid drawing the
  schedule), and photographs it at a pull request's width.
- docs/review-page.png, the review page: runs `campaigns preview campaigns.example
  --sandbox` in a scratch folder and photographs the page (its top: the summary and the
  first cards), light and dark side by side.

    MERMAID_JS=.../mermaid.min.js python docs/screenshots.py   # both
    python docs/screenshots.py review                           # the review page only

CHROMIUM names the browser (default /usr/bin/chromium); nothing is fetched from the network.
"""

from __future__ import annotations

import base64
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "plan-comment.png"
REVIEW_OUT = ROOT / "docs" / "review-page.png"
ARGS = ["--headless", "--no-sandbox", "--disable-background-networking",
        "--disable-component-update"]
STYLE = """
body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
       color: #1f2328; width: 868px; margin: 16px; }
code { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; background: #eff1f3;
       padding: .2em .4em; border-radius: 6px; }
pre { background: #f6f8fa; padding: 12px; border-radius: 6px; overflow: auto; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; } th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
blockquote { margin: 0 0 8px; padding: 0 1em; color: #1f2328; border-left: .25em solid #d1d9e0; }
details { margin-bottom: 12px; } summary { cursor: pointer; }
ins { text-decoration: underline; } sup { color: #59636e; }
"""


def run_on_examples(*args: str, file: str | None = None) -> str:
    """`campaigns ARGS` on a copy of campaigns.example: its output, or the `file` it wrote."""
    scratch = Path(tempfile.mkdtemp())
    try:
        shutil.copytree(ROOT / "campaigns.example", scratch / "campaigns.example")
        run = subprocess.run(
            [sys.executable, "-m", "reconciler", *args], cwd=scratch, capture_output=True,
            text=True, encoding="utf-8",
            env={**os.environ, "NO_COLOR": "1", "ZEXA_API_KEY": "", "CAMPAIGNS_STATE": ""})
        if run.returncode not in (0, 2):
            sys.exit(run.stderr)
        return (scratch / file).read_text(encoding="utf-8") if file else run.stdout
    finally:
        shutil.rmtree(scratch)


def comment_markdown() -> str:
    return run_on_examples("plan", "campaigns.example", "--sandbox", "--format", "markdown")


def page_html(markdown: str) -> str:
    body = MarkdownIt("gfm-like", {"linkify": True, "html": True}).render(markdown)
    body = re.sub(r'<pre><code class="language-mermaid">(.*?)</code></pre>',
                  lambda m: f'<pre class="mermaid">{m.group(1)}</pre>', body, flags=re.S)
    return (f"<!doctype html><html><head><meta charset='utf-8'><style>{STYLE}</style>"
            f"<title>{html.escape('plan comment')}</title></head><body>{body}</body></html>")


def review_page(browser: Any) -> None:
    """The review page of the examples, light and dark, side by side."""
    page = run_on_examples("preview", "campaigns.example", "--sandbox", "--out", "review.html",
                           file="review.html")
    scratch = Path(tempfile.mkdtemp())
    try:
        path = scratch / "review.html"
        path.write_text(page, encoding="utf-8")
        shots = []
        for scheme in ("light", "dark"):
            tab = browser.new_page(viewport={"width": 1000, "height": 1500},
                                   color_scheme=scheme)
            tab.route("http*://**/*", lambda route: route.abort())
            tab.goto(path.as_uri())
            shot = scratch / f"{scheme}.png"
            tab.screenshot(path=str(shot))
            shots.append(shot)
            tab.close()
        tab = browser.new_page(viewport={"width": 2000, "height": 1500})
        tab.set_content("<body style='margin:0;display:flex'>" + "".join(
            f"<img style='width:1000px' src='data:image/png;base64,"
            f"{base64.b64encode(s.read_bytes()).decode()}'>" for s in shots) + "</body>")
        tab.screenshot(path=str(REVIEW_OUT))
        tab.close()
    finally:
        shutil.rmtree(scratch)
    print(f"wrote {REVIEW_OUT.relative_to(ROOT)}")


def plan_comment(browser: Any) -> None:
    mermaid = os.environ.get("MERMAID_JS")
    if not mermaid:
        sys.exit("set MERMAID_JS to mermaid.min.js (see .ci/run)")
    tab = browser.new_page(viewport={"width": 900, "height": 800})
    tab.route("http*://**/*", lambda route: route.abort())
    tab.set_content(page_html(comment_markdown()))
    tab.add_script_tag(path=mermaid)
    tab.evaluate("""async () => {
        mermaid.initialize({startOnLoad: false, securityLevel: "strict"});
        await mermaid.run({querySelector: "pre.mermaid"});
    }""")
    tab.screenshot(path=str(OUT), full_page=True)
    print(f"wrote {OUT.relative_to(ROOT)}")


def main(which: str = "both") -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=ARGS)
        if which in ("both", "review"):
            review_page(browser)
        if which in ("both", "comment"):
            plan_comment(browser)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:2])
