#!/usr/bin/env python3
"""Check heldout14 labels against the saved pages (stdlib + lxml).

usage: python3 render_check.py [labels.json] [page_dir]
Blobs are read from local bare mirrors under $MIRROR_ROOT (default /work/.mirror).
"""
import gzip, hashlib, html as htmlmod, json, os, re, subprocess, sys
from lxml import html as lhtml

HOW = {'said-clause', 'according-to', 'colon-leadin', 'blockquote-leadin', 'blockquote-unattributed',
       'blockquote-trailing-attribution', 'heading-leadin', 'pronoun', 'fragment', 'pull-quote',
       'headline-colon', 'embedded-tweet', 'qa-turn', 'question-context', 'context', 'hypothetical'}
TOP = {'kind', 'source', 'title', 'date', 'quotes', 'not_quotes', 'comments', 'note'}
QF_REQ = {'speaker', 'starts', 'ends', 'how'}
QF_OPT = {'alt_speakers', 'optional', 'role', 'note'}
CF = {'count', 'author_replies', 'max_depth', 'site_author', 'markup', 'note', 'list'}
KINDS = {'news', 'blog', 'markdown', 'interview', 'thread', 'no_quotes'}
WS = re.compile(r'\s+')

def norm(s):
    return WS.sub(' ', s).strip()

def render_html(b):
    doc = lhtml.fromstring(b.decode('utf-8', 'replace'))
    for el in doc.xpath('//script|//style|//noscript'):
        el.drop_tree()
    return [norm(doc.text_content())]

def md_strip(t):
    t = re.sub(r'^---\n.*?\n---\n', '', t, flags=re.S)               # front matter
    t = re.sub(r'!\[([^\]]*)\]\([^)]*\)', r'\1', t)                    # images
    t = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', t, flags=re.S)         # links (may wrap lines)
    t = re.sub(r'^\s*>\s?', '', t, flags=re.M)                         # blockquote markers
    t = re.sub(r'^\s*#+\s*', '', t, flags=re.M)                        # headings
    t = t.replace('**', '').replace('__', '').replace('`', '')
    t = re.sub(r'(?<![A-Za-z0-9])_([^_\n]+)_(?![A-Za-z0-9])', r'\1', t)  # _emphasis_
    return t

def render_md(b):
    raw = b.decode('utf-8', 'replace')
    s = md_strip(raw)
    u = htmlmod.unescape(re.sub(r'<[^>]+>', ' ', s))
    return [norm(raw), norm(s), norm(u)]

def blob(source):
    repo, rest = source.split('@', 1)
    commit, path = rest.split(':', 1)
    root = os.environ.get('MIRROR_ROOT', '/work/.mirror')
    gd = os.path.join(root, repo.replace('/', '+'), 'repo')
    b = subprocess.run(['git', '--git-dir=' + gd, 'show', commit + ':' + path], capture_output=True, check=True).stdout
    return gzip.decompress(b) if path.endswith('.gz') else b

def span_ok(texts, s, e):
    for t in texts:
        i = t.find(s)
        while i >= 0:
            j = t.find(e, i)
            if j >= 0 and j - i <= 4000:
                return True
            i = t.find(s, i + 1)
    return False

def main():
    lab = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), 'labels.json')
    pdir = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(lab))
    L = json.load(open(lab, encoding='utf-8'))
    nq = nstr = nfail = nwarn = 0
    for name, v in L.items():
        errs, warns = [], []
        b = open(os.path.join(pdir, name), 'rb').read()
        texts = render_md(b) if name.endswith('.md') else render_html(b)
        ident = False
        try:
            ident = hashlib.sha256(blob(v['source'])).digest() == hashlib.sha256(b).digest()
        except Exception as ex:
            errs.append('cannot read source blob: %s' % ex)
        if not ident:
            errs.append('file differs from its source blob')
        if set(v) != TOP:
            errs.append('top-level fields %s' % sorted(set(v) ^ TOP))
        if v.get('kind') not in KINDS:
            errs.append('bad kind %r' % v.get('kind'))
        if v.get('date') is not None and not re.fullmatch(r'\d{4}-\d\d-\d\d', v['date']):
            errs.append('bad date %r' % v['date'])
        for k, q in enumerate(v.get('quotes', []), 1):
            nq += 1
            ks = set(q)
            if not QF_REQ <= ks or ks - QF_REQ - QF_OPT:
                errs.append('quote %d fields %s' % (k, sorted(ks)))
            if q.get('how') not in HOW:
                errs.append('quote %d bad how %r' % (k, q.get('how')))
            if 'optional' in q and q['optional'] is not True:
                errs.append('quote %d optional must be true' % k)
            if 'role' in q and q['role'] not in ('interviewer', 'interviewee'):
                errs.append('quote %d bad role' % k)
            if q.get('how') == 'qa-turn' and 'role' not in q:
                errs.append('quote %d qa-turn without role' % k)
            if not isinstance(q.get('alt_speakers', []), list):
                errs.append('quote %d alt_speakers not a list' % k)
            for f in ('starts', 'ends'):
                nstr += 1
                s = norm(q.get(f, ''))
                if not s or not any(s in t for t in texts):
                    errs.append('quote %d %s not found: %r' % (k, f, q.get(f)))
            if not span_ok(texts, norm(q['starts']), norm(q['ends'])):
                errs.append('quote %d ends does not follow starts (within 4000 chars): %r .. %r' % (k, q['starts'], q['ends']))
        for s in v.get('not_quotes', []):
            if not any(norm(s) in t for t in texts):
                warns.append('not_quote not found: %r' % s)
        c = v.get('comments', {})
        if set(c) != CF:
            errs.append('comments fields %s' % sorted(set(c) ^ CF))
        lst = c.get('list', [])
        if c.get('count') != len(lst):
            errs.append('comments.count %s != len(list) %d' % (c.get('count'), len(lst)))
        if c.get('author_replies') != sum(1 for x in lst if x.get('author_reply')):
            errs.append('author_replies %s != %d' % (c.get('author_replies'), sum(1 for x in lst if x.get('author_reply'))))
        depth = []
        for k, x in enumerate(lst, 1):
            if set(x) != {'author', 'parent', 'author_reply', 'date'}:
                errs.append('comment %d fields %s' % (k, sorted(x)))
            p = x.get('parent')
            if p is None:
                depth.append(1)
            elif isinstance(p, int) and 1 <= p < k:
                depth.append(depth[p - 1] + 1)
            else:
                errs.append('comment %d parent %s not an earlier item' % (k, p)); depth.append(1)
            if x.get('author_reply') and c.get('site_author') and x.get('author') != c.get('site_author'):
                errs.append('comment %d author_reply but author is not site_author' % k)
            for f in ('author', 'date'):
                if not any(norm(str(x.get(f))) in t for t in texts):
                    errs.append('comment %d %s not found: %r' % (k, f, x.get(f)))
        if c.get('max_depth') != (max(depth) if depth else 0):
            errs.append('max_depth %s != %d' % (c.get('max_depth'), max(depth) if depth else 0))
        if name.endswith('.md') and c.get('count'):
            n_li = len(re.findall(r'<li[^>]*class="[^"]*\bcomment\b', b.decode('utf-8', 'replace')))
            if n_li != c['count']:
                errs.append('li.comment items %d != count %d' % (n_li, c['count']))
        nfail += bool(errs); nwarn += len(warns)
        print('%s %s: %d quotes, byte-identical=%s' % ('FAIL' if errs else 'ok  ', name, len(v.get('quotes', [])), ident))
        for e in errs: print('     - ' + e)
        for w in warns: print('     ~ warning: ' + w)
    print('\n%d pages, %d quotes, %d starts/ends strings checked, %d failures, %d warnings' % (len(L), nq, nstr, nfail, nwarn))
    return 1 if nfail else 0

if __name__ == '__main__':
    sys.exit(main())
