#!/usr/bin/env python3
"""Prints a benchmark's figures for mprtc and Chromium side by side.

Usage: table.py TITLE MPRTC_JSON CHROMIUM_JSON|null ROW...   with ROW = "label|key|format"
(format is a Python format like {:.1f}, or "k" for thousands with one decimal).
"""
import json
import sys


def cell(data, key, fmt):
    if not data or key not in data:
        return 'n/a'
    value = data[key]
    return '{:.1f}'.format(value / 1000) if fmt == 'k' else fmt.format(value)


def main():
    title, mprtc, chromium = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
    # The second column is Chromium's unless its figures name another ("name").
    other = (chromium or {}).get('name', 'Chromium')
    version = (chromium or {}).get('version', '')
    print('{:<44} {:>16} {:>24}'.format(title, 'mprtc', (other + ' ' + version).strip()))
    for row in sys.argv[4:]:
        label, key, fmt = row.split('|')
        print('{:<44} {:>16} {:>24}'.format(label, cell(mprtc, key, fmt), cell(chromium, key, fmt)))


if __name__ == '__main__':
    main()
