#!/usr/bin/env python3
"""Derive api/schema/api-schema.json from the Databricks API reference table.

    scripts/gen-api-schema.py [REFERENCE] [--output FILE]

REFERENCE defaults to ../shared/reference/api-schema.json relative to the repository root, or to
the nearest folder above it that has shared/reference/ (a worktree lives deeper); it is the table
of routes, parameters, JSON types, required fields and enums of today's official SDKs.
The project must build and test from its own repository alone, so the reference is read only
here, by hand, and the derived table is committed. Re-run this script when the reference changes.

What the derived table holds (JSON, sorted keys, minified, one trailing newline; the same input
always gives the same bytes):

  routes: every workspace-level route, sorted by path, method and call. Each keeps the facts the
          client, the engine and the contract check need: method, path (templates `{name}` for one
          segment and `{name*}` for the rest of the path), service, call (SDK class.method), query
          and body ({wire name: type}; a body may also be one type name when the whole body is
          that object), required, response, content ("raw" or "multipart" when the body is not
          JSON), and cli: the Go CLI command ("jobs create", "settings default-namespace get").
  types:  every type reachable from those routes, as in the reference: {"fields": {name: {"type":
          T, "required": true?}}} or {"enum": [...]}. Types this script adds (see
          RESPONSE_OVERRIDES) carry "source": the rest-api.md section they come from.

Dropped: account-level routes (/accounts/ in the path, or an SDK class of the account client),
which a workspace never serves.
"""

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_IN_SHARED = Path("shared") / "reference" / "api-schema.json"
DEFAULT_OUTPUT = REPO_ROOT / "api" / "schema" / "api-schema.json"

PRIMITIVES = {"string", "integer", "number", "boolean", "object", "any"}

# Classes of the SDK's AccountClient whose paths do not say /accounts/ (e.g. AccountIamV2API
# serves /api/2.0/identity/{name}); every class named Account* is account-only.
ACCOUNT_CLASS_PREFIX = "Account"

# Go CLI command groups that are not named after their SDK class, checked against databricks/cli
# cmd/workspace: the workspace setting services are sub-commands of `settings`
# (cmd/workspace/settings/settings.go), e.g. `databricks settings default-namespace get`.
SETTINGS_SUBGROUPS = {
    "AibiDashboardEmbeddingAccessPolicyAPI", "AibiDashboardEmbeddingApprovedDomainsAPI",
    "AutomaticClusterUpdateAPI", "ComplianceSecurityProfileAPI", "DashboardEmailSubscriptionsAPI",
    "DefaultNamespaceAPI", "DefaultWarehouseIdAPI", "DisableLegacyAccessAPI", "DisableLegacyDbfsAPI",
    "EnableExportNotebookAPI", "EnableNotebookTableClipboardAPI", "EnableResultsDownloadingAPI",
    "EnhancedSecurityMonitoringAPI", "LlmProxyPartnerPoweredWorkspaceAPI", "RestrictWorkspaceAdminsAPI",
    "SqlResultsDownloadAPI",
}
# Classes with no generated Go CLI group: their routes get no `cli`. DBFS is the hand-written
# `fs` command, the Files API and command execution have no command, WorkspaceExt is the Python
# SDK's upload/download mixin.
NO_GO_CLI_GROUP = {"CommandExecutionAPI", "DbfsAPI", "FilesAPI", "WorkspaceExt"}

# The SDK types some answers as "any" because its method returns an iterator or a waiter, not the
# wire object. For the routes brix serves, the wire object is written down in rest-api.md; these
# types let the contract check validate those answers too. Element types come from the reference
# (jobs.Job for BaseJob and jobs.Run for BaseRun: §6.3 and §6.5 say the list items have the
# same fields; workspace.GetRepoResponse for RepoInfo: §7 lists the same fields).
def _fields(**fields):
    return {name: {"type": spec} for name, spec in fields.items()}


ADDED_TYPES = {
    "jobs.ListJobsResponse": ("§6.3", _fields(jobs=["list", "jobs.Job"], has_more="boolean",
                                              next_page_token="string", prev_page_token="string")),
    "jobs.ListRunsResponse": ("§6.4", _fields(runs=["list", "jobs.Run"], has_more="boolean",
                                              next_page_token="string", prev_page_token="string")),
    "jobs.RunNowResponse": ("§6.4", _fields(run_id="integer", number_in_job="integer")),
    "jobs.SubmitRunResponse": ("§6.4", _fields(run_id="integer")),
    "jobs.RepairRunResponse": ("§6.4", _fields(repair_id="integer")),
    "jobs.CancelRunResponse": ("§6.4", {}),
    "workspace.ListResponse": ("§4.3", _fields(objects=["list", "workspace.ObjectInfo"])),
    "files.ListStatusResponse": ("§8", _fields(files=["list", "files.FileInfo"])),
    "files.DirectoryEntry": ("§9", _fields(path="string", name="string", is_directory="boolean",
                                           file_size="integer", last_modified="integer")),
    "files.ListDirectoryResponse": ("§9", _fields(contents=["list", "files.DirectoryEntry"],
                                                  next_page_token="string")),
    "workspace.ListReposResponse": ("§7", _fields(repos=["list", "workspace.GetRepoResponse"],
                                                  next_page_token="string")),
    "workspace.SecretScope": ("§10", _fields(name="string", backend_type="workspace.ScopeBackendType",
                                             keyvault_metadata="workspace.AzureKeyVaultSecretScopeMetadata")),
    "workspace.ListScopesResponse": ("§10", _fields(scopes=["list", "workspace.SecretScope"])),
    "workspace.SecretMetadata": ("§10", _fields(key="string", last_updated_timestamp="integer")),
    "workspace.ListSecretsResponse": ("§10", _fields(secrets=["list", "workspace.SecretMetadata"])),
    "workspace.ListAclsResponse": ("§10", _fields(items=["list", "workspace.AclItem"])),
    "compute.ListClustersResponse": ("§11", _fields(clusters=["list", "compute.ClusterDetails"],
                                                    next_page_token="string", prev_page_token="string")),
    "compute.CreateClusterResponse": ("§11", _fields(cluster_id="string")),
    "compute.StartClusterResponse": ("§11", {}),
    "compute.DeleteClusterResponse": ("§11", {}),
    "compute.EditClusterResponse": ("§11", {}),
}

# call -> response type, applied only where the reference says "any".
RESPONSE_OVERRIDES = {
    "JobsAPI.list": "jobs.ListJobsResponse",
    "JobsAPI.list_runs": "jobs.ListRunsResponse",
    "JobsAPI.run_now": "jobs.RunNowResponse",
    "JobsAPI.submit": "jobs.SubmitRunResponse",
    "JobsAPI.repair_run": "jobs.RepairRunResponse",
    "JobsAPI.cancel_run": "jobs.CancelRunResponse",
    "WorkspaceAPI.list": "workspace.ListResponse",
    "DbfsAPI.list": "files.ListStatusResponse",
    "FilesAPI.list_directory_contents": "files.ListDirectoryResponse",
    "ReposAPI.list": "workspace.ListReposResponse",
    "SecretsAPI.list_scopes": "workspace.ListScopesResponse",
    "SecretsAPI.list_secrets": "workspace.ListSecretsResponse",
    "SecretsAPI.list_acls": "workspace.ListAclsResponse",
    "ClustersAPI.list": "compute.ListClustersResponse",
    "ClustersAPI.create": "compute.CreateClusterResponse",
    "ClustersAPI.start": "compute.StartClusterResponse",
    "ClustersAPI.delete": "compute.DeleteClusterResponse",
    "ClustersAPI.edit": "compute.EditClusterResponse",
}


def kebab(name):
    """CamelCase or snake_case to kebab-case: ModelRegistry -> model-registry, GroupsV2 -> groups-v2."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name)
    return name.replace("_", "-").lower()


def cli_command(call):
    cls, method = call.split(".", 1)
    if cls in NO_GO_CLI_GROUP:
        return None
    group = kebab(cls[:-3] if cls.endswith("API") else cls)
    if cls in SETTINGS_SUBGROUPS:
        group = "settings " + group
    return group + " " + kebab(method.rstrip("_"))


def is_account_route(route):
    return "/accounts/" in route["path"] or route["call"].startswith(ACCOUNT_CLASS_PREFIX)


def path_params(path):
    return re.findall(r"\{(\w+)\*?\}", path)


def camel(name):
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def wire_required(route):
    """Required names as sent on the wire. The reference gives the SDK's Python parameter names;
    a few APIs (commands 1.2, credentials-manager) send them in camelCase."""
    body = route.get("body")
    given = set(route.get("query") or {}) | (set(body) if isinstance(body, dict) else set())
    return [camel(n) if n not in given and camel(n) in given else n for n in route.get("required", [])]


def type_refs(spec):
    """The type names a type spec mentions."""
    if isinstance(spec, list):
        yield from type_refs(spec[1])
    elif isinstance(spec, str) and spec not in PRIMITIVES:
        yield spec


def route_refs(route):
    for key in ("query", "body"):
        value = route.get(key)
        if isinstance(value, dict):
            for spec in value.values():
                yield from type_refs(spec)
        elif value is not None:
            yield from type_refs(value)
    if route.get("response") is not None:
        yield from type_refs(route["response"])


def derive(reference):
    types = dict(reference["types"])
    for name, (section, fields) in ADDED_TYPES.items():
        if name in types:
            sys.exit(f"gen-api-schema: {name} is in the reference now; drop it from ADDED_TYPES")
        types[name] = {"fields": fields, "source": "rest-api.md " + section}

    routes = []
    for source in reference["routes"]:
        if is_account_route(source):
            continue
        route = {key: source[key] for key in ("method", "path", "service", "call")}
        for key in ("query", "body", "response", "content"):
            if source.get(key) is not None:
                route[key] = source[key]
        if source.get("required"):
            route["required"] = wire_required(source)
        override = RESPONSE_OVERRIDES.get(source["call"])
        if override and route.get("response") == "any":
            route["response"] = override
        command = cli_command(source["call"])
        if command:
            route["cli"] = command
        routes.append(route)
    routes.sort(key=lambda r: (r["path"], r["method"], r["call"]))

    calls = {r["call"] for r in routes}
    for call in RESPONSE_OVERRIDES:
        if call not in calls:
            sys.exit(f"gen-api-schema: RESPONSE_OVERRIDES names {call}, which has no workspace route")

    kept, pending = set(), [ref for route in routes for ref in route_refs(route)]
    while pending:
        name = pending.pop()
        if name in kept:
            continue
        if name not in types:
            sys.exit(f"gen-api-schema: type {name} is used but not defined")
        kept.add(name)
        for field in types[name].get("fields", {}).values():
            pending.extend(type_refs(field["type"]))
    return {
        "about": "Workspace-level Databricks REST routes and their types, derived from the SDK reference "
                 "table by scripts/gen-api-schema.py; do not edit by hand.",
        "reference": {"generated": reference.get("generated"), "sha256": None},
        "routes": routes,
        "types": {name: types[name] for name in sorted(kept)},
    }


def default_reference():
    for folder in REPO_ROOT.parents:
        if (folder / REFERENCE_IN_SHARED).is_file():
            return folder / REFERENCE_IN_SHARED
    return REPO_ROOT.parent / REFERENCE_IN_SHARED


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reference", nargs="?", default=None)
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    args = parser.parse_args()

    raw = Path(args.reference or default_reference()).read_bytes()
    table = derive(json.loads(raw))
    table["reference"]["sha256"] = hashlib.sha256(raw).hexdigest()
    text = json.dumps(table, sort_keys=True, separators=(",", ":")) + "\n"
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"{output}: {len(table['routes'])} routes, {len(table['types'])} types, {len(text)} bytes")


if __name__ == "__main__":
    main()
