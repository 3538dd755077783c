#!/usr/bin/env python3
"""The `run:` steps of a GitHub Actions workflow job (or of a composite action), as JSON, so a test
runs exactly what the YAML says. Reads the block-style YAML subset workflows are written in
(mappings, sequences, `|` blocks, quoted and plain scalars) with the standard library only.

    workflow_steps.py FILE JOB     -> {"env": {...}, "steps": [{"name", "run", "env", "working-directory", "id"}]}
    workflow_steps.py FILE         -> the whole document (composite actions: runs.steps)
"""
import json
import re
import sys


def strip_comment(text):
    quote = None
    for i, c in enumerate(text):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or text[i - 1] in " \t"):
            return text[:i].rstrip()
    return text.rstrip()


def scalar(text):
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


class Parser:
    def __init__(self, text):
        self.lines = text.split("\n")
        self.i = 0

    def peek(self):
        """(indent, text) of the next line with content, skipping blanks and comments."""
        while self.i < len(self.lines):
            raw = self.lines[self.i]
            text = strip_comment(raw)
            if text.strip():
                return len(raw) - len(raw.lstrip(" ")), text.strip()
            self.i += 1
        return None

    def block(self, parent_indent, keep_newlines):
        body, indent = [], None
        while self.i < len(self.lines):
            raw = self.lines[self.i]
            if raw.strip() and len(raw) - len(raw.lstrip(" ")) <= parent_indent:
                break
            if raw.strip() and indent is None:
                indent = len(raw) - len(raw.lstrip(" "))
            body.append(raw[indent:] if raw.strip() else "")
            self.i += 1
        while body and not body[-1]:
            body.pop()
        return ("\n" if keep_newlines else " ").join(body) + "\n"

    def value(self, rest, indent):
        rest = rest.strip()
        self.i += 1
        if rest in ("|", "|-", "|+", ">", ">-"):
            return self.block(indent, rest.startswith("|"))
        if rest:
            return scalar(rest)
        following = self.peek()
        if following and (following[0] > indent or (following[0] == indent and following[1].startswith("-"))):
            return self.node(following[0])
        return None

    def node(self, indent):
        first = self.peek()
        return self.sequence(indent) if first[1].startswith("-") else self.mapping(indent)

    def mapping(self, indent):
        result = {}
        while True:
            line = self.peek()
            if not line or line[0] != indent or line[1].startswith("-"):
                return result
            key, colon, rest = line[1].partition(":")
            if not colon:
                raise ValueError(f"line {self.i + 1}: expected key: value, got {line[1]!r}")
            result[scalar(key)] = self.value(rest, indent)

    def sequence(self, indent):
        items = []
        while True:
            line = self.peek()
            if not line or line[0] != indent or not line[1].startswith("-"):
                return items
            text = line[1][1:].lstrip()
            if not text:
                items.append(self.value("", indent))
            elif re.match(r"^[^\s'\"][^:]*:(\s|$)", text):
                # "- key: value" opens a mapping whose keys line up with "key"
                item_indent = indent + len(line[1]) - len(text)
                self.lines[self.i] = " " * item_indent + text
                items.append(self.mapping(item_indent))
            else:
                self.i += 1
                items.append(scalar(text))


def main():
    with open(sys.argv[1]) as f:
        document = Parser(f.read()).node(0)
    if len(sys.argv) < 3:
        print(json.dumps(document))
        return
    job = document["jobs"][sys.argv[2]]
    steps = [
        {
            "name": step.get("name", ""),
            "id": step.get("id", ""),
            "run": step["run"],
            "env": step.get("env") or {},
            "working-directory": step.get("working-directory", ""),
        }
        for step in job.get("steps", [])
        if "run" in step
    ]
    print(json.dumps({"env": job.get("env") or {}, "uses": [s["uses"] for s in job.get("steps", []) if "uses" in s], "steps": steps}))


if __name__ == "__main__":
    main()
