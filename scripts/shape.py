#!/usr/bin/env python3
"""The shape of the source: lines per file and per function, test modules excluded.

Run from the repository root: `scripts/shape.py [-v]`. Targets (issue 13): no file over
600 lines, no function over 120. Braces are counted roughly (strings and comments
stripped), which is enough for rustfmt-formatted code."""
import re, sys, pathlib, statistics

def strip_tests(lines):
    out = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == '#[cfg(test)]' and i + 1 < len(lines) and re.match(r'\s*(pub\s+)?mod \w+\s*(\{|;)', lines[i+1]):
            if lines[i+1].rstrip().endswith(';'):
                i += 2; continue
            depth = 0; j = i + 1
            while j < len(lines):
                depth += code(lines[j]).count('{') - code(lines[j]).count('}')
                j += 1
                if depth == 0: break
            i = j; continue
        out.append(lines[i]); i += 1
    return out

def code(line):
    # drop string literals and line comments, roughly
    line = re.sub(r'r(#*)"(.*?)"\1', '""', line)
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])'", "''", line)
    return line.split('//')[0]

fn_re = re.compile(r'^\s*(pub(\([^)]*\))?\s+)?(async\s+)?(const\s+)?(unsafe\s+)?fn\s+(\w+)')
files = []
funcs = []
for p in sorted(pathlib.Path('crates').glob('*/src/**/*.rs')):
    lines = strip_tests(p.read_text().splitlines())
    files.append((len(lines), str(p)))
    i = 0
    while i < len(lines):
        m = fn_re.match(lines[i])
        if m:
            depth = 0; started = False; j = i
            while j < len(lines):
                c = code(lines[j])
                if not started and ';' in c and '{' not in c and depth == 0 and j > i and c.strip().endswith(';'):
                    break
                depth += c.count('{') - c.count('}')
                if '{' in c: started = True
                if started and depth <= 0: break
                j += 1
            funcs.append((j - i + 1, f'{p}::{m.group(6)}'))
        i += 1
files.sort(); funcs.sort()
print('files:', len(files), 'median', statistics.median(n for n, _ in files))
print('files over 600:', [f for f in files if f[0] > 600])
print('functions over 120:', [f for f in funcs if f[0] > 120])
if '-v' in sys.argv:
    for f in files[-15:]: print(*f)
    for f in funcs[-15:]: print(*f)
