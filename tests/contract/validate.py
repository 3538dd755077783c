#!/usr/bin/env python3
"""The contract check: requests and answers recorded by `brix serve` against the Databricks API.

    tests/contract/validate.py [--schema FILE] [--unlisted FILE] [--summary] RECORDS.jsonl...

Each line of a record file is one exchange, written by `brix serve` when BRIX_SERVE_RECORD is
set (format: docs/contract-check.md). Every exchange must go to a route of
api/schema/api-schema.json (the SDKs' API surface) or to one listed, with the rest-api.md section
that justifies it, in tests/contract/unlisted-routes.tsv.

Requests sent by brix (User-Agent "brix/...") are checked against the route: parameters in the
query for GET/HEAD/DELETE and in a JSON body otherwise (unless the schema puts them in the
query), field names known at every depth, JSON types, required fields, enum values. Other
clients in the tests send bad input on purpose, so their requests are not checked, nor are
requests the server refused with a 4xx (wrong input passed through brix on purpose). A route the
schema lacks that the engine answered 404 ENDPOINT_NOT_FOUND (it has no such route either) is not
an unlisted route. Every answer
is: a 2xx JSON answer against the route's response type (brix's own brix_* extension objects
aside), an error answer for its
{"error_code": string, "message": string} body.

Prints one line per violation, `<method> <path>: <request|response> <json-path>: <problem>`,
then a summary; exits 1 when there is a violation or an unlisted route. Python 3 stdlib only.
"""

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_SCHEMA = REPO_ROOT / "api" / "schema" / "api-schema.json"
DEFAULT_UNLISTED = Path(__file__).resolve().parent / "unlisted-routes.tsv"

INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
PRIMITIVES = {"string", "integer", "number", "boolean", "object", "any"}
QUERY_METHODS = {"GET", "HEAD", "DELETE"}
# Bodies that are JSON: application/json, and the text/json of the legacy CLI (rest-api.md §1.1).
JSON_CONTENT = re.compile(r"^(application|text)/([\w.+-]*\+)?json\b", re.I)


# --- path templates ---------------------------------------------------------------------------

def compile_template(template):
    """A template as a regex: {name} is one path segment, {name*} the rest of the path."""
    pattern, pos = "", 0
    for match in re.finditer(r"\{(\w+)(\*?)\}", template):
        pattern += re.escape(template[pos:match.start()])
        pattern += "(?P<%s>.+)" % match.group(1) if match.group(2) else "(?P<%s>[^/]+)" % match.group(1)
        pos = match.end()
    pattern += re.escape(template[pos:])
    literal = len(re.sub(r"\{\w+\*?\}", "", template))
    return re.compile(pattern + r"\Z", re.DOTALL), literal


class Routes:
    """Routes by template; find() returns the most literal template matching a method and path."""

    def __init__(self):
        self.by_key = {}  # (method, template) -> list of entries
        self.compiled = {}  # template -> (regex, literal characters)

    def add(self, method, template, entry):
        self.by_key.setdefault((method, template), []).append(entry)
        if template not in self.compiled:
            self.compiled[template] = compile_template(template)

    def find(self, method, path):
        """(method, template, entries, literal characters) of the best match, or None."""
        best = None
        for (route_method, template), entries in self.by_key.items():
            if method is not None and route_method != method:
                continue
            regex, literal = self.compiled[template]
            if (best is None or literal > best[3]) and regex.match(path):
                best = (route_method, template, entries, literal)
        return best


# --- the schema ---------------------------------------------------------------------------------

class Schema:
    def __init__(self, document):
        self.types = document["types"]
        self.routes = Routes()
        for route in document["routes"]:
            self.routes.add(route["method"], route["path"], route)

    def resolve(self, spec):
        """(kind, detail): kind is a primitive, "list", "map", "fields" or "enum"."""
        if isinstance(spec, list):
            return spec[0], spec[1]
        if isinstance(spec, dict):
            definition = spec
        elif spec in PRIMITIVES:
            return spec, None
        else:
            definition = self.types.get(spec)
            if definition is None:
                return "any", None
        if "fields" in definition:
            return "fields", definition["fields"]
        if "enum" in definition:
            return "enum", definition["enum"]
        return "any", None

    def check(self, value, spec, path, problems):
        """Appends (json-path, problem) for each way the JSON value breaks the spec."""
        if value is None:
            return
        kind, detail = self.resolve(spec)
        if kind == "any":
            return
        if kind in ("string", "boolean", "object"):
            expect(isinstance(value, {"string": str, "boolean": bool, "object": dict}[kind]), kind, value, path, problems)
        elif kind == "integer":
            if expect(is_integer(value), "integer", value, path, problems) and not INT64_MIN <= value <= INT64_MAX:
                problems.append((path, "%d is out of the int64 range" % value))
        elif kind == "number":
            expect(isinstance(value, (int, float)) and not isinstance(value, bool), "number", value, path, problems)
        elif kind == "list":
            if expect(isinstance(value, list), "array", value, path, problems):
                for index, item in enumerate(value):
                    self.check(item, detail, "%s[%d]" % (path, index), problems)
        elif kind == "map":
            if expect(isinstance(value, dict), "object", value, path, problems):
                for key, item in value.items():
                    self.check(item, detail, join(path, key), problems)
        elif kind == "fields":
            self.check_fields(value, detail, path, problems)
        elif kind == "enum":
            if expect(isinstance(value, str), "string", value, path, problems) and value not in detail:
                problems.append((path, "%s is not one of %s" % (json.dumps(value), ", ".join(detail))))

    def check_fields(self, value, fields, path, problems):
        if not expect(isinstance(value, dict), "object", value, path, problems):
            return
        for key, item in value.items():
            if key in fields:
                self.check(item, fields[key]["type"], join(path, key), problems)
            else:
                problems.append((join(path, key), "unknown field"))
        for name, field in fields.items():
            if field.get("required") and value.get(name) is None:
                problems.append((join(path, name), "missing required field"))

    def query_spec(self, spec, dotted):
        """The spec of a query key: "filter_by.cluster_states" walks into an object parameter, as
        the SDKs flatten nested objects with dots (rest-api.md §1). None when a name is unknown."""
        for name in dotted:
            kind, detail = self.resolve(spec)
            if kind in ("any", "object"):
                return "any"
            if kind == "map":
                spec = detail
            elif kind == "fields" and name in detail:
                spec = detail[name]["type"]
            else:
                return None
        return spec

    def check_query_value(self, text, spec, path, problems):
        """A query value is text from the URL: parse it as the spec's type."""
        kind, detail = self.resolve(spec)
        if kind == "list":
            kind, detail = self.resolve(detail)
        if kind == "integer":
            if not re.fullmatch(r"-?\d+", text) or not INT64_MIN <= int(text) <= INT64_MAX:
                problems.append((path, "expected integer, got %s" % json.dumps(text)))
        elif kind == "number":
            if not re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", text):
                problems.append((path, "expected number, got %s" % json.dumps(text)))
        elif kind == "boolean":
            if text not in ("true", "false"):
                problems.append((path, "expected true or false, got %s" % json.dumps(text)))
        elif kind == "enum":
            if text not in detail:
                problems.append((path, "%s is not one of %s" % (json.dumps(text), ", ".join(detail))))
        elif kind in ("fields", "map", "object"):
            problems.append((path, "an object parameter goes in the query as dotted keys (name.field=value)"))


def is_integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


def join(path, key):
    return "%s.%s" % (path, key) if path else key


def describe(value):
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return "string " + json.dumps(text)
    if isinstance(value, bool):
        return "boolean " + json.dumps(value)
    if isinstance(value, int):
        return "integer %d" % value
    if isinstance(value, float):
        return "number " + json.dumps(value)
    return "object" if isinstance(value, dict) else "array"


def expect(ok, wanted, value, path, problems):
    if not ok:
        problems.append((path, "expected %s, got %s" % (wanted, describe(value))))
    return ok


# --- unlisted routes ----------------------------------------------------------------------------

def load_unlisted(path):
    """unlisted-routes.tsv: METHOD, template, the rest-api.md section; optionally a 4th column
    `as=/api/2.2/...` naming the schema route whose request and answer types apply."""
    routes = Routes()
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) not in (3, 4) or not columns[2].startswith("§") or not columns[1].startswith("/"):
            raise ValueError("%s:%d: want METHOD<TAB>/path<TAB>§section[<TAB>as=/path], got %r" % (path, number, line))
        alias = None
        if len(columns) == 4:
            if not columns[3].startswith("as=/"):
                raise ValueError("%s:%d: the 4th column is as=/path, got %r" % (path, number, columns[3]))
            alias = columns[3][3:]
        routes.add(columns[0], columns[1], {"section": columns[2], "as": alias})
    return routes


# --- one exchange -------------------------------------------------------------------------------

def is_json_content(content_type):
    return not content_type or bool(JSON_CONTENT.match(content_type))


class Checker:
    def __init__(self, schema, unlisted):
        self.schema = schema
        self.unlisted = unlisted

    def route_of(self, method, path):
        """(key, schema routes, unlisted entry): key is "METHOD template", None when nothing matches.
        An unlisted entry on a schema route's own template widens it (a multipart dbfs/put); one
        on a template of its own stands alone, or for the schema route its `as=` names."""
        found = self.schema.routes.find(method, path)
        listed = self.unlisted.find(method, path)
        entry = listed[2][0] if listed else None
        if found and (not listed or found[3] > listed[3]):
            return "%s %s" % found[:2], found[2], None
        if found and found[1] == listed[1]:
            return "%s %s" % found[:2], found[2], entry
        if listed:
            aliased = []
            if entry["as"]:
                target = self.schema.routes.find(method, entry["as"])
                if not target:
                    raise ValueError("unlisted-routes.tsv: %s %s names as=%s, which is not in the schema"
                                     % (method, listed[1], entry["as"]))
                aliased = target[2]
            return "%s %s" % listed[:2], aliased, entry
        return None, [], None

    def check(self, record):
        """(route key or None, [(side, json-path, problem)])."""
        method, path = record["method"], record["path"]
        key, routes, unlisted = self.route_of(method, path)
        problems = []
        if key is None and not_served(record):
            pass  # the engine says it has no such route, as a workspace does: nothing brix serves or uses
        elif key is None:
            others = sorted({m for m in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
                             if m != method and (self.schema.routes.find(m, path) or self.unlisted.find(m, path))})
            reason = "method not in the schema (the path takes %s)" % ", ".join(others) if others else \
                "not in api-schema.json nor in tests/contract/unlisted-routes.tsv"
            problems.append(("request", "route", reason))
        if key is not None and str(record.get("user_agent") or "").startswith("brix/") and not refused(record):
            problems += [("request",) + p for p in best_of(routes, lambda r: self.request_problems(record, r, unlisted))]
        problems += [("response",) + p for p in self.answer_problems(record, routes)]
        return key, problems

    def request_problems(self, record, route, unlisted):
        problems = []
        method = record["method"]
        query_spec = route.get("query") or {}
        body_spec = route.get("body")
        body_fields = self.body_fields(body_spec, set()) or {} if body_spec is not None else {}
        path_params = set(re.findall(r"\{(\w+)\*?\}", route["path"]))
        required = set(route.get("required", []))

        query = record.get("query") or {}
        for key, values in query.items():
            values = values if isinstance(values, list) else [values]
            top = key.split(".")[0]
            spec = self.schema.query_spec(query_spec[top], key.split(".")[1:]) if top in query_spec else None
            if spec is not None:
                for text in values:
                    self.schema.check_query_value(str(text), spec, "query." + key, problems)
            elif top in body_fields:
                problems.append(("query." + key, "belongs in the JSON body"))
            else:
                problems.append(("query." + key, "unknown query parameter"))
        for name in sorted(required & set(query_spec)):
            if name not in query and name not in body_fields:
                problems.append(("query." + name, "missing required parameter"))

        body, content_type = record.get("body"), record.get("content_type")
        if body is None and not is_json_content(content_type):
            # Bytes or a form the record does not show: allowed where the schema says so
            # (content raw/multipart) or where unlisted-routes.tsv lists the route.
            if not route.get("content") and not unlisted:
                problems.append(("body", "a %s body where the schema takes JSON" % content_type.split(";")[0]))
            return problems
        if route.get("content"):
            problems.append(("body", "a JSON body where the schema takes %s content" % route["content"]))
            return problems
        if method in QUERY_METHODS:
            if body not in (None, {}):
                problems.append(("body", "a %s sends its parameters in the query, not a JSON body" % method))
            return problems
        if body_spec is None:
            if body not in (None, {}):
                problems.append(("body", "the route takes no body"))
            return problems
        fields = self.body_fields(body_spec, required - path_params)
        if fields is None:
            self.schema.check(body, body_spec, "body", problems)
            return problems
        if not expect(isinstance(body, (dict, type(None))), "object", body, "body", problems):
            return problems
        body = body or {}
        for key, value in body.items():
            if key in fields:
                self.schema.check(value, fields[key]["type"], "body." + key, problems)
            elif key in query_spec:
                problems.append(("body." + key, "belongs in the query string"))
            else:
                problems.append(("body." + key, "unknown field"))
        for name, field in fields.items():
            if field.get("required") and body.get(name) is None and name not in query:
                problems.append(("body." + name, "missing required field"))
        return problems

    def body_fields(self, body_spec, required):
        """{name: {"type", "required"}} of a body given as {name: type} or as one object type; None
        when the body is not an object type ("any")."""
        if isinstance(body_spec, dict):
            return {name: {"type": spec, "required": name in required} for name, spec in body_spec.items()}
        kind, detail = self.schema.resolve(body_spec)
        return detail if kind == "fields" else None

    def answer_problems(self, record, routes):
        status = record.get("status")
        answer = record.get("response")
        json_answer = is_json_content(record.get("response_content_type")) and answer is not None
        if not isinstance(status, int):
            return [("status", "missing or not a number")]
        if status >= 400:
            return self.error_problems(record, answer, json_answer)
        if not 200 <= status < 300 or not json_answer or not routes:
            return []
        return best_of(routes, lambda route: self.success_problems(answer, route))

    def error_problems(self, record, answer, json_answer):
        if record["method"] == "HEAD":
            return []  # no body; the message travels in X-Databricks-Reason-Phrase
        if "X-Brix-Signature" in (record.get("query") or {}) and \
                str(record.get("response_content_type") or "").startswith("application/xml"):
            return []  # a presigned Files API URL answers as cloud storage does: an XML <Error> (rest-api.md §9)
        if not json_answer or not isinstance(answer, dict):
            return [("body", "an error answer must be a JSON object")]
        path = record["path"]
        # The token endpoint answers OAuth errors (rest-api.md §3.3); SCIM may answer SCIM errors (§2.1 #3, §3.4).
        if path.startswith("/oidc/") and isinstance(answer.get("error"), str):
            return []
        if "/scim/v2/" in path and isinstance(answer.get("detail"), str) and isinstance(answer.get("status"), str):
            return []
        problems = []
        for name in ("error_code", "message"):
            if not isinstance(answer.get(name), str):
                problems.append(("body." + name, "missing" if name not in answer else "expected string, got " + describe(answer[name])))
        return problems

    def success_problems(self, answer, route):
        spec = route.get("response")
        answer = without_brix_extensions(answer)
        problems = []
        if spec is None:
            if answer != {}:
                problems.append(("body", "the route answers {} (no response type), got %s" % describe(answer)))
        else:
            self.schema.check(answer, spec, "body", problems)
        return problems


def refused(record):
    """A request the server refused (4xx) is not checked: the suites pass wrong input through brix
    on purpose, and refusing it is what Databricks does. (A wrong request from brix's own code
    fails its suite anyway.)"""
    return isinstance(record.get("status"), int) and 400 <= record["status"] < 500


def without_brix_extensions(value):
    """The answer without brix's own extension objects: fields named brix_* whose value is an object
    (brix_metrics of a task run, brix_environment of a cluster). The prefix keeps them clear of
    every Databricks field, clients that do not know them skip them, and user maps (tags,
    parameters) hold strings, so no Databricks field is ever left unchecked by this."""
    if isinstance(value, list):
        return [without_brix_extensions(item) for item in value]
    if isinstance(value, dict):
        return {key: without_brix_extensions(item) for key, item in value.items()
                if not (key.startswith("brix_") and isinstance(item, dict))}
    return value


def not_served(record):
    """The engine answered 404 ENDPOINT_NOT_FOUND: a route it does not have (a suite asks for one on
    purpose to see that answer). What matters is that brix never serves or calls a route the
    schema lacks; a request brix's own code sent there would fail its suite anyway."""
    answer = record.get("response")
    return record.get("status") == 404 and isinstance(answer, dict) and answer.get("error_code") == "ENDPOINT_NOT_FOUND"


def printable(path):
    """The path on one line: a suite may send a newline in a path on purpose."""
    return json.dumps(path)[1:-1]


def best_of(routes, problems_of):
    """Several SDK calls can share a method and path (WorkspaceAPI.import_ takes JSON,
    WorkspaceExt.upload multipart): the exchange conforms when it conforms to one of them."""
    best = None
    for route in routes:
        problems = problems_of(route)
        if not problems:
            return []
        if best is None or len(problems) < len(best):
            best = problems
    return best or []


# --- the command --------------------------------------------------------------------------------

def read_records(paths):
    for name in paths:
        with open(name, encoding="utf-8") as stream:
            for number, line in enumerate(stream, 1):
                if line.strip():
                    yield "%s:%d" % (name, number), line


def run(args, out=sys.stdout):
    schema = Schema(json.loads(Path(args.schema).read_text(encoding="utf-8")))
    checker = Checker(schema, load_unlisted(args.unlisted))
    counts, violations_by_route = Counter(), Counter()
    violations, unlisted_routes, records = 0, set(), 0
    for where, line in read_records(args.records):
        records += 1
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or not isinstance(record.get("method"), str) or not isinstance(record.get("path"), str):
                raise ValueError("want an object with string method and path")
        except ValueError as error:
            print("%s: not a record: %s" % (where, error), file=out)
            violations += 1
            continue
        key, problems = checker.check(record)
        label = key or "%s %s (unlisted)" % (record["method"], printable(record["path"]))
        counts[label] += 1
        if any(problem[:2] == ("request", "route") for problem in problems):
            unlisted_routes.add(label)
        for side, json_path, problem in problems:
            print("%s %s: %s %s: %s" % (record["method"], printable(record["path"]), side, json_path, problem), file=out)
            if (side, json_path) != ("request", "route"):
                violations_by_route[label] += 1
                violations += 1
    if args.summary:
        for key in sorted(counts):
            note = " (%d violations)" % violations_by_route[key] if violations_by_route[key] else ""
            print("%6d  %s%s" % (counts[key], key, note), file=out)
    print("contract: %d records, %d routes, %d violations, %d unlisted routes"
          % (records, len(counts), violations, len(unlisted_routes)), file=out)
    return 1 if violations or unlisted_routes else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("records", nargs="+", help="JSON-Lines files written by brix serve (BRIX_SERVE_RECORD)")
    parser.add_argument("--schema", default=str(DEFAULT_SCHEMA))
    parser.add_argument("--unlisted", default=str(DEFAULT_UNLISTED))
    parser.add_argument("--summary", action="store_true", help="print how many exchanges each route had")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
