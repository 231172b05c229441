#!/usr/bin/env python3
"""The functions, initializers, subscripts and computed properties of Sources/ longer than N lines (default 80).

Usage: python3 scripts/long-functions.py [N]   (from the repository root)
Prints each one as `lines path:line name`, then the count; exits 1 when there is any. A brace-matching scan
(string literals and comments skipped), not a parser: what it counts is a declaration's first line to its closing
brace. `.ci/run` runs it: no function in Sources/ is over 80 lines."""
import re, sys, subprocess
limit = int(sys.argv[1]) if len(sys.argv) > 1 else 80
files = subprocess.run(['git','ls-files','Sources/*.swift'],capture_output=True,text=True).stdout.split()
decl = re.compile(r'^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|static|final|override|mutating|nonisolated|package|convenience|required|class)\s+)*(func\s+[^\s(<]+|init[?!]?|subscript|var\s+\w+\s*:[^=]*\{)')
out=[]
for f in files:
    lines=open(f).read().split('\n')
    # strip strings/comments per line crudely
    clean=[]
    in_ml=False
    for l in lines:
        if '"""' in l:
            cnt=l.count('"""')
            if cnt%2==1: in_ml=not in_ml
            clean.append(''); continue
        if in_ml: clean.append(''); continue
        l=re.sub(r'"(?:\\.|[^"\\])*"','""',l)
        l=re.sub(r'//.*','',l)
        clean.append(l)
    i=0
    while i<len(clean):
        m=decl.match(clean[i])
        if m:
            # find opening brace
            depth=0; started=False; j=i
            while j<len(clean):
                for ch in clean[j]:
                    if ch=='{': depth+=1; started=True
                    elif ch=='}': depth-=1
                if started and depth<=0: break
                if not started and j>i+15: break
                j+=1
            if started:
                n=j-i+1
                if n>limit: out.append((n,f,i+1,m.group(1)))
        i+=1
for n,f,l,name in sorted(out,reverse=True): print(f"{n:4d} {f}:{l} {name}")
print(len(out), "over", limit)
sys.exit(1 if out else 0)
