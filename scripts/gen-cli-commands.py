#!/usr/bin/env python3
"""Derive commands/generated/cli-commands.jsonl, the generated command groups, from the API table.

    scripts/gen-cli-commands.py [--schema FILE] [--output FILE] [--check]

The input is api/schema/api-schema.json (scripts/gen-api-schema.py writes it; every route there
carries its Go CLI command, "catalogs create"). The output is what brix needs to build those
commands at run time without reading the 750 KB table: for each command its route, its
positional arguments in order, its flags and the types to check them against, whether it takes
--json, and how a list call pages. Re-run it when the table changes and commit both; --check
exits 1 when the committed file is not what this script writes (the unit of the ctest entry
gen_cli_commands).

The file is JSON Lines, so that brix parses only the group a command line names:
  line 1:  {"index": [[group, summary], ...]}                      every group, sorted
  then:    {"group": name, "commands": [command, ...]}             one line per group, sorted
A command:
  words    its words below the group: ["create"], or ["default-namespace", "get"] for settings
  method, path, call
  args     positional arguments, in order: path parameters in template order, then the required
           scalar fields (see POSITIONAL_ORDER)
  json     "none" (no body), "optional" (--json may give the body), "required" (a required field
           is an object or a list, which only --json can give)
  fields   every request field: {"name", "in": path|query|body, "kind", "type", "required"?,
           "values"? (enum)}; kind is string|integer|number|boolean|enum|any (flags take these)
           or compound (only --json)
  list     present for list calls: {"paging": token|scim|page|offset|none, "in": query|body}
  answer   "none" when the route answers {} (nothing is printed), else "json"

Rules, as the Go CLI's generated commands have them (read from databricks/cli cmd/workspace):
  - path parameters are always positional, also with --json;
  - required scalar fields are positional too, unless --json is given (then the body holds them)
    or a required field is compound (then the command needs --json and takes only the path);
  - optional scalar fields are flags; compound fields only come through --json;
  - a list call (the SDK returns an iterator: a GET whose answer the table types as "any", or a
    paged POST search) reads every page.
"""

import argparse
import json
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = REPO_ROOT / "api" / "schema" / "api-schema.json"
DEFAULT_OUTPUT = REPO_ROOT / "commands" / "generated" / "cli-commands.jsonl"

SCALARS = {"string", "integer", "number", "boolean", "any"}

# Groups of the table that are not generated: `bundle` is the Go CLI's hand-written bundle
# command (deploy, run, ...), not the BundleAPI service that shares its name.
NOT_GENERATED = {"bundle"}

# The Go CLI's order of positional arguments where a command has two or more required fields
# besides its path parameters. The table lists fields alphabetically, the Go CLI in the API
# specification's order; each line below was read from the command's `Use` line in databricks/cli
# cmd/workspace/<group>/<group>.go ("create NAME CATALOG_NAME"). Commands not listed keep the
# table's order.
POSITIONAL_ORDER = {
    "experiments delete-runs": ["experiment_id", "max_timestamp_millis"],
    "experiments delete-tag": ["run_id", "key"],
    "experiments log-metric": ["key", "value", "timestamp"],
    "experiments log-param": ["key", "value"],
    "experiments restore-runs": ["experiment_id", "min_timestamp_millis"],
    "experiments set-experiment-tag": ["experiment_id", "key", "value"],
    "experiments set-tag": ["key", "value"],
    "external-locations create": ["name", "url", "credential_name"],
    "forecasting create-experiment": ["train_data_path", "target_column", "time_column", "forecast_granularity",
                                      "forecast_horizon"],
    "functions list": ["catalog_name", "schema_name"],
    "genie create-space": ["warehouse_id", "serialized_space"],
    "global-init-scripts create": ["name", "script"],
    "global-init-scripts update": ["name", "script"],
    "instance-pools create": ["instance_pool_name", "node_type_id"],
    "instance-pools edit": ["instance_pool_id", "instance_pool_name", "node_type_id"],
    "ip-access-lists create": ["label", "list_type"],
    "ip-access-lists replace": ["label", "list_type", "enabled"],
    "metastores assign": ["metastore_id", "default_catalog_name"],
    "model-registry approve-transition-request": ["name", "version", "stage", "archive_existing_versions"],
    "model-registry create-comment": ["name", "version", "comment"],
    "model-registry create-model-version": ["name", "source"],
    "model-registry create-transition-request": ["name", "version", "stage"],
    "model-registry delete-model-tag": ["name", "key"],
    "model-registry delete-model-version": ["name", "version"],
    "model-registry delete-model-version-tag": ["name", "version", "key"],
    "model-registry delete-transition-request": ["name", "version", "stage", "creator"],
    "model-registry get-model-version": ["name", "version"],
    "model-registry get-model-version-download-uri": ["name", "version"],
    "model-registry list-transition-requests": ["name", "version"],
    "model-registry reject-transition-request": ["name", "version", "stage"],
    "model-registry set-model-tag": ["name", "key", "value"],
    "model-registry set-model-version-tag": ["name", "version", "key", "value"],
    "model-registry transition-stage": ["name", "version", "stage", "archive_existing_versions"],
    "model-registry update-comment": ["id", "comment"],
    "model-registry update-model-version": ["name", "version"],
    "permission-migration migrate-permissions": ["workspace_id", "from_workspace_group_name", "to_account_group_name"],
    "provider-exchanges add-listing-to-exchange": ["listing_id", "exchange_id"],
    "providers create": ["name", "authentication_type"],
    "quality-monitors create": ["assets_dir", "output_schema_name"],
    "recipients create": ["name", "authentication_type"],
    "schemas create": ["name", "catalog_name"],
    "serving-endpoints http-request": ["connection_name", "method", "path"],
    "table-constraints delete": ["constraint_name", "cascade"],
    "tables list": ["catalog_name", "schema_name"],
    "temporary-path-credentials generate-temporary-path-credentials": ["url", "operation"],
    "vector-search-endpoints create-endpoint": ["name", "endpoint_type"],
    "vector-search-indexes create-index": ["name", "endpoint_name", "primary_key", "index_type"],
    "volumes create": ["catalog_name", "schema_name", "name", "volume_type"],
    "volumes list": ["catalog_name", "schema_name"],
    "clusters change-owner": ["cluster_id", "owner_username"],
    "clusters update": ["cluster_id", "update_mask"],
}

# One line per group in `brix --help`. The table has no descriptions; groups not listed get one
# made from their service name.
SUMMARIES = {
    "alerts": "SQL alerts: notify when a query result meets a condition",
    "apps": "Databricks Apps: create, deploy, start and stop apps",
    "catalogs": "Unity Catalog catalogs: the first level of catalog.schema.table",
    "cluster-policies": "Cluster policies: rules that limit how clusters may be configured",
    "current-user": "The user (or service principal) the CLI is authenticated as",
    "dashboards": "Legacy SQL dashboards",
    "experiments": "MLflow experiments, runs, metrics, parameters and tags",
    "external-locations": "Unity Catalog external locations: cloud storage paths and their credentials",
    "functions": "Unity Catalog functions (user-defined functions)",
    "git-credentials": "Git credentials for Git folders (repos)",
    "global-init-scripts": "Global init scripts that run on every cluster of the workspace",
    "grants": "Unity Catalog privileges on securables (catalogs, schemas, tables, ...)",
    "groups": "Workspace groups (SCIM)",
    "instance-pools": "Instance pools: idle cloud instances that clusters start from",
    "instance-profiles": "Instance profiles (AWS IAM roles) that clusters can use",
    "lakeview": "AI/BI (Lakeview) dashboards",
    "libraries": "Cluster libraries: install, uninstall and show their status",
    "model-registry": "The workspace MLflow model registry: models, versions, stages and tags",
    "permissions": "Access control lists of workspace objects (jobs, clusters, notebooks, ...)",
    "pipelines": "Lakeflow Declarative Pipelines (Delta Live Tables)",
    "policy-families": "Cluster policy families: templates that cluster policies are based on",
    "queries": "SQL queries saved in the workspace",
    "schemas": "Unity Catalog schemas: the second level of catalog.schema.table",
    "service-principals": "Workspace service principals (SCIM)",
    "settings": "Workspace settings: default namespace, restrict workspace admins, legacy access, ...",
    "serving-endpoints": "Model serving endpoints: create, query and configure",
    "storage-credentials": "Unity Catalog storage credentials for cloud storage",
    "tables": "Unity Catalog tables",
    "token-management": "Tokens of every user of the workspace (for admins)",
    "users": "Workspace users (SCIM)",
    "volumes": "Unity Catalog volumes: governed folders under /Volumes",
    "warehouses": "SQL warehouses: create, start, stop and configure",
    "workspace-conf": "Workspace configuration settings (key/value)",
}


def kebab(name):
    """snake_case or camelCase to kebab-case: include_browse -> include-browse, startIndex -> start-index."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).replace("_", "-").lower()


def path_params(path):
    return re.findall(r"\{(\w+)\*?\}", path)


class Types:
    def __init__(self, types):
        self.types = types

    def kind(self, spec):
        """What a flag can take: a scalar kind, "enum", or "compound" (only --json)."""
        if isinstance(spec, str):
            if spec in SCALARS:
                return spec
            definition = self.types.get(spec)
            if definition is not None and "enum" in definition:
                return "enum"
        return "compound"

    def display(self, spec):
        if isinstance(spec, list):
            return "%s of %s" % (spec[0], self.display(spec[1]))
        if isinstance(spec, dict):
            return "object"
        return spec

    def field(self, name, where, spec, required):
        field = {"name": name, "in": where, "kind": self.kind(spec), "type": self.display(spec)}
        if required:
            field["required"] = True
        if field["kind"] == "enum":
            field["values"] = self.types[spec]["enum"]
        return field

    def body_fields(self, route):
        """The body's fields as (name, spec, required): the route's own, or those of the one type
        that is the whole body (apps create takes an apps.App)."""
        body = route.get("body")
        required = set(route.get("required", []))
        if body is None:
            return []
        if isinstance(body, dict):
            return [(name, spec, name in required) for name, spec in body.items()]
        definition = self.types.get(body, {})
        return [(name, item["type"], bool(item.get("required"))) for name, item in definition.get("fields", {}).items()]


def command_for(route, types):
    words = route["cli"].split()[1:]
    method, path = route["method"], route["path"]
    required = set(route.get("required", []))
    in_path = path_params(path)
    fields = [types.field(name, "path", "string", True) for name in in_path]
    for name, spec in route.get("query", {}).items():
        if name not in in_path:
            fields.append(types.field(name, "query", spec, name in required))
    for name, spec, is_required in types.body_fields(route):
        if name not in in_path:
            fields.append(types.field(name, "body", spec, is_required))

    has_body = method in ("POST", "PUT", "PATCH")
    # `any` fields take anything JSON can say, so like objects they come only through --json. A
    # required name that is no field is a body the table does not describe (workspace-conf
    # set-status takes a map); where the whole body is one type, that name is the body itself.
    needs_json = any(f["kind"] in ("compound", "any") for f in fields if f.get("required") and f["in"] != "path")
    if not isinstance(route.get("body"), str):
        needs_json = needs_json or bool(required - {f["name"] for f in fields})
    json_mode = "none" if not has_body else "required" if needs_json else "optional"

    args = list(in_path)
    if not needs_json:
        wanted = [f["name"] for f in fields if f.get("required") and f["in"] != "path"]
        order = POSITIONAL_ORDER.get(route["cli"])
        if order is not None:
            if sorted(order) != sorted(wanted):
                raise SystemExit("POSITIONAL_ORDER[%r] lists %s, the table requires %s" % (route["cli"], order, wanted))
            wanted = list(order)
        args += wanted

    command = {"words": words, "method": method, "path": path, "call": route["call"], "args": args,
               "json": json_mode, "fields": fields, "answer": "json" if "response" in route else "none"}
    listing = list_paging(route, fields)
    if listing is not None:
        command["list"] = listing
    return command


def list_paging(route, fields):
    """How a list call pages, or None when the command is not a list call."""
    names = {f["name"]: f["in"] for f in fields if f["in"] != "path"}
    iterator = route.get("response") == "any" and (route["method"] == "GET" or "page_token" in names)
    if not iterator:
        return None
    for field, style in (("page_token", "token"), ("startIndex", "scim"), ("page", "page"), ("offset", "offset")):
        if field in names:
            return {"paging": style, "in": names[field]}
    return {"paging": "none"}


def summary_for(group, commands):
    if group in SUMMARIES:
        return SUMMARIES[group]
    service = commands[0]["call"].split(".")[0]
    service = service[:-3] if service.endswith("API") else service
    words = re.sub(r"(?<=[a-z0-9])([A-Z])", r" \1", service)
    return "%s API (%d commands)" % (words, len(commands))


def derive(schema):
    types = Types(schema["types"])
    groups = {}
    seen = set()
    for route in schema["routes"]:
        cli = route.get("cli")
        if not cli or cli.split()[0] in NOT_GENERATED:
            continue
        if cli in seen:  # two calls on one command name: the first in the table's order
            continue
        seen.add(cli)
        groups.setdefault(cli.split()[0], []).append(command_for(route, types))
    unused = set(POSITIONAL_ORDER) - seen
    if unused:
        raise SystemExit("POSITIONAL_ORDER names commands the table does not have: %s" % sorted(unused))
    lines = [{"index": [[name, summary_for(name, groups[name])] for name in sorted(groups)]}]
    for name in sorted(groups):
        commands = sorted(groups[name], key=lambda c: c["words"])
        lines.append({"group": name, "commands": commands})
    return "".join(json.dumps(line, separators=(",", ":"), ensure_ascii=False) + "\n" for line in lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schema", default=str(DEFAULT_SCHEMA))
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    parser.add_argument("--check", action="store_true", help="exit 1 when the output file is not up to date")
    args = parser.parse_args()
    text = derive(json.loads(Path(args.schema).read_text(encoding="utf-8")))
    output = Path(args.output)
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            print("%s is not what scripts/gen-cli-commands.py writes from %s: re-run it" % (output, args.schema))
            return 1
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print("wrote %s: %d groups" % (output, text.count("\n") - 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
