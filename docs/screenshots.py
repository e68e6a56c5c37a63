"""Screenshot of the pull-request comment as a reviewer sees it, for the documentation.

Runs `campaigns plan campaigns.example --sandbox --format markdown` in a scratch folder,
renders the Markdown as GitHub does (markdown-it-py, GitHub-flavoured, with mermaid
drawing the schedule), and photographs it in Chromium at a pull request's width:

    MERMAID_JS=.../mermaid.min.js python docs/screenshots.py

CHROMIUM names the browser (default /usr/bin/chromium); nothing is fetched from the network.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from markdown_it import MarkdownIt
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "plan-comment.png"
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


def comment_markdown() -> str:
    scratch = Path(tempfile.mkdtemp())
    try:
        shutil.copytree(ROOT / "campaigns.example", scratch / "campaigns.example")
        run = subprocess.run(
            [sys.executable, "-m", "reconciler", "plan", "campaigns.example", "--sandbox",
             "--format", "markdown"], cwd=scratch, capture_output=True, text=True,
            encoding="utf-8", env={**os.environ, "NO_COLOR": "1"})
        if run.returncode not in (0, 2):
            sys.exit(run.stderr)
        return run.stdout
    finally:
        shutil.rmtree(scratch)


def page_html(markdown: str) -> str:
    body = MarkdownIt("gfm-like", {"linkify": True, "html": True}).render(markdown)
    body = re.sub(r'<pre><code class="language-mermaid">(.*?)</code></pre>',
                  lambda m: f'<pre class="mermaid">{m.group(1)}</pre>', body, flags=re.S)
    return (f"<!doctype html><html><head><meta charset='utf-8'><style>{STYLE}</style>"
            f"<title>{html.escape('plan comment')}</title></head><body>{body}</body></html>")


def main() -> None:
    mermaid = os.environ.get("MERMAID_JS")
    if not mermaid:
        sys.exit("set MERMAID_JS to mermaid.min.js (see .ci/run)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=ARGS)
        tab = browser.new_page(viewport={"width": 900, "height": 800})
        tab.route("http*://**/*", lambda route: route.abort())
        tab.set_content(page_html(comment_markdown()))
        tab.add_script_tag(path=mermaid)
        tab.evaluate("""async () => {
            mermaid.initialize({startOnLoad: false, securityLevel: "strict"});
            await mermaid.run({querySelector: "pre.mermaid"});
        }""")
        tab.screenshot(path=str(OUT), full_page=True)
        browser.close()
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
