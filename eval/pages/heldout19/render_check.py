#!/usr/bin/env python3
"""Independent checker for heldout19 labels (stdlib + lxml only).

Usage: python3 render_check.py [labels.json] [page_dir]
       python3 render_check.py --text FILE     (print the rendered text of one page)

Rendering:
  * HTML: bytes decoded as UTF-8 (cp1252 fallback), parsed with lxml.html,
    script/style/noscript/template dropped, text_content(), whitespace collapsed.
  * Markdown: front-matter delimiters dropped, then a light Markdown strip
    (links/images -> link text, '>' markers, heading '#', emphasis '**' '__' '*' '_',
    backticks), the result parsed with lxml.html (so inline HTML such as the WordPress
    comment lists is rendered and entities are unescaped), whitespace collapsed.
Checks: every quote starts/ends, comment author/date occur; ends occurs after starts
(within 6000 chars); field names and enum values; comment counts vs list; parent points
to an earlier item; the page file is byte-identical to its source blob in /work/.mirror.
"""
import gzip, json, os, re, subprocess, sys
import lxml.html

MIRROR = os.environ.get("MIRROR_ROOT", "/work/.mirror")
HOWS = {"said-clause", "according-to", "colon-leadin", "blockquote-leadin",
        "blockquote-unattributed", "blockquote-trailing-attribution", "heading-leadin",
        "pronoun", "fragment", "pull-quote", "headline-colon", "embedded-tweet", "qa-turn",
        "question-context", "context", "hypothetical"}
KINDS = {"news", "blog", "markdown", "interview", "thread", "no_quotes"}
QFIELDS = {"speaker", "starts", "ends", "how", "alt_speakers", "optional", "role", "note"}
TOP = {"kind", "source", "title", "date", "quotes", "not_quotes", "comments", "note"}
CFIELDS = {"count", "author_replies", "max_depth", "site_author", "markup", "note", "list"}
IFIELDS = {"author", "parent", "author_reply", "date", "replies_to", "note", "spam"}


def ws(s):
    return re.sub(r"\s+", " ", s).strip()


def html_text(raw):
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raw = raw.decode("cp1252", errors="replace")
    raw = re.sub(r"^<\?xml[^>]*>", "", raw.lstrip("\ufeff").lstrip())
    doc = lxml.html.fromstring(raw)
    for e in doc.xpath("//script|//style|//noscript|//template"):
        e.drop_tree()
    return ws(doc.text_content())


def md_text(raw):
    s = raw.decode("utf-8")
    s = re.sub(r"\A---\n", "", s)
    s = re.sub(r"\n---\n", "\n", s, count=1)
    s = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"(?m)^\s{0,3}>\s?", "", s)
    s = re.sub(r"(?m)^\s{0,3}#{1,6}\s*", "", s)
    s = re.sub(r"\{#[^}]*\}", "", s)
    s = s.replace("**", "").replace("__", "").replace("`", "")
    s = re.sub(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])", r"\1", s)
    s = re.sub(r"(?<![\w])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w])", r"\1", s)
    return html_text("<div>" + s + "</div>")


def render(path):
    raw = open(path, "rb").read()
    return md_text(raw) if path.endswith(".md") else html_text(raw)


def source_blob(source):
    repo_commit, path = source.split(":", 1)
    repo, commit = repo_commit.split("@")
    gd = os.path.join(MIRROR, repo.replace("/", "+"), "repo")
    b = subprocess.run(["git", "--git-dir=" + gd, "show", commit + ":" + path],
                       capture_output=True, check=True).stdout
    return gzip.decompress(b) if path.endswith(".gz") else b


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--text":
        print(render(sys.argv[2]))
        return 0
    here = os.path.dirname(os.path.abspath(__file__))
    lab = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "labels.json")
    pdir = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(lab))
    labels = json.load(open(lab))
    fails = warns = nstr = nq = 0

    def fail(name, msg):
        nonlocal fails
        fails += 1
        print(f"FAIL {name}: {msg}")

    for name, L in labels.items():
        f0 = fails
        path = os.path.join(pdir, name)
        if set(L) != TOP:
            fail(name, f"top-level fields {sorted(set(L) ^ TOP)}")
        if L.get("kind") not in KINDS:
            fail(name, f"bad kind {L.get('kind')}")
        text = render(path)
        try:
            same = source_blob(L["source"]) == open(path, "rb").read()
        except Exception as e:  # noqa
            same = False
        if not same:
            fail(name, "not byte-identical to source blob")
        for i, q in enumerate(L["quotes"]):
            nq += 1
            if not set(q) <= QFIELDS or not {"speaker", "starts", "ends", "how"} <= set(q):
                fail(name, f"quote {i} fields {sorted(q)}")
            if q.get("how") not in HOWS:
                fail(name, f"quote {i} bad how {q.get('how')}")
            if "optional" in q and q["optional"] is not True:
                fail(name, f"quote {i} optional must be true")
            if "role" in q and q["role"] not in ("interviewer", "interviewee"):
                fail(name, f"quote {i} bad role")
            a = text.find(ws(q["starts"]))
            nstr += 2
            if a < 0:
                fail(name, f"quote {i} starts not found: {q['starts']!r}")
                continue
            b = text.find(ws(q["ends"]), a)
            if b < 0 or b - a > 6000:
                fail(name, f"quote {i} ends not found after starts: {q['ends']!r}")
        for s in L["not_quotes"]:
            if ws(s) not in text:
                warns += 1
                print(f"warn {name}: not_quote not found {s!r}")
        C = L["comments"]
        if set(C) != CFIELDS:
            fail(name, f"comment fields {sorted(set(C) ^ CFIELDS)}")
        lst = C["list"]
        if C["count"] != len(lst):
            fail(name, "count != len(list)")
        if C["author_replies"] != sum(1 for c in lst if c["author_reply"]):
            fail(name, "author_replies mismatch")
        depth = {}
        for j, c in enumerate(lst, 1):
            if not set(c) <= IFIELDS:
                fail(name, f"comment {j} fields {sorted(c)}")
            p = c["parent"]
            if p is not None and not (1 <= p < j):
                fail(name, f"comment {j} parent {p} not an earlier item")
            depth[j] = 1 if p is None else depth.get(p, 0) + 1
            for key in ("author", "date"):
                nstr += 1
                if ws(c[key]) not in text:
                    fail(name, f"comment {j} {key} not found: {c[key]!r}")
        if C["max_depth"] != (max(depth.values()) if depth else 0):
            fail(name, "max_depth mismatch")
        print(f"{'ok  ' if fails == f0 else 'BAD '} {name}: {len(L['quotes'])} quotes, {len(lst)} comments, byte-identical={same}")
    print(f"\n{len(labels)} pages, {nq} quotes, {nstr} strings checked, {fails} failures, {warns} warnings")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
