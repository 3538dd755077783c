"""Tests of scripts/gen-api-schema.py on a small reference table (the real one is outside the
repository and never read by the tests), and of the committed api/schema/api-schema.json."""

import importlib.util
import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = REPO_ROOT / "scripts" / "gen-api-schema.py"
COMMITTED = REPO_ROOT / "api" / "schema" / "api-schema.json"

spec = importlib.util.spec_from_file_location("gen_api_schema", SCRIPT)
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)

# The routes and types RESPONSE_OVERRIDES and ADDED_TYPES need, plus a few of every case.
REFERENCE = {
    "generated": "2026-01-01",
    "routes": [
        {"service": "ml", "call": "ModelRegistryAPI.create_comment", "method": "POST", "path": "/api/2.0/mlflow/comments/create",
         "body": {"comment": "string", "id": "string"}, "required": ["comment", "id"], "response": "ml.CreateCommentResponse"},
        {"service": "workspace", "call": "WorkspaceAPI.import_", "method": "POST", "path": "/api/2.0/workspace/import",
         "body": {"path": "string", "format": "workspace.ImportFormat"}, "required": ["path"]},
        {"service": "compute", "call": "CommandExecutionAPI.command_status", "method": "GET", "path": "/api/1.2/commands/status",
         "query": {"clusterId": "string"}, "required": ["cluster_id"], "response": "any"},
        {"service": "settings", "call": "DefaultNamespaceAPI.get", "method": "GET", "path": "/api/2.0/settings/x", "response": "any"},
        {"service": "iam", "call": "AccountGroupsAPI.list", "method": "GET", "path": "/api/2.0/accounts/{param}/scim/v2/Groups",
         "response": "iam.AccountOnly"},
        {"service": "iamv2", "call": "AccountIamV2API.get_x", "method": "GET", "path": "/api/2.0/{name}", "response": "iam.AccountOnly"},
    ] + [{"service": "s", "call": call, "method": "GET", "path": "/api/2.0/x/" + call, "response": "any"}
         for call in gen.RESPONSE_OVERRIDES],
    "types": {
        "ml.CreateCommentResponse": {"fields": {"comment": {"type": "ml.CommentObject"}}},
        "ml.CommentObject": {"fields": {"id": {"type": "string", "required": True}}},
        "ml.Unused": {"fields": {}},
        "iam.AccountOnly": {"fields": {}},
        "workspace.ImportFormat": {"enum": ["SOURCE"]},
        "jobs.Job": {"fields": {}}, "jobs.Run": {"fields": {}}, "workspace.ObjectInfo": {"fields": {}},
        "files.FileInfo": {"fields": {}}, "workspace.GetRepoResponse": {"fields": {}},
        "workspace.ScopeBackendType": {"enum": ["DATABRICKS"]},
        "workspace.AzureKeyVaultSecretScopeMetadata": {"fields": {}}, "workspace.AclItem": {"fields": {}},
        "compute.ClusterDetails": {"fields": {}},
    },
}


def generate(reference):
    with tempfile.TemporaryDirectory() as folder:
        source, output = Path(folder) / "reference.json", Path(folder) / "out.json"
        source.write_text(json.dumps(reference, indent=1))
        subprocess.run([sys.executable, str(SCRIPT), str(source), "--output", str(output)], check=True,
                       stdout=subprocess.DEVNULL)
        return output.read_bytes()


class Generator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.text = generate(REFERENCE)
        cls.table = json.loads(cls.text)
        cls.calls = {route["call"]: route for route in cls.table["routes"]}

    def test_output_is_deterministic_and_canonical(self):
        self.assertEqual(generate(REFERENCE), self.text)
        self.assertTrue(self.text.endswith(b"}\n"))
        self.assertEqual(json.dumps(self.table, sort_keys=True, separators=(",", ":")).encode() + b"\n", self.text)

    def test_account_routes_and_their_types_are_dropped(self):
        self.assertNotIn("AccountGroupsAPI.list", self.calls)
        self.assertNotIn("AccountIamV2API.get_x", self.calls)
        self.assertNotIn("iam.AccountOnly", self.table["types"])
        self.assertNotIn("ml.Unused", self.table["types"])
        self.assertIn("ml.CommentObject", self.table["types"])  # reachable through a field

    def test_go_cli_names(self):
        self.assertEqual(self.calls["ModelRegistryAPI.create_comment"]["cli"], "model-registry create-comment")
        self.assertEqual(self.calls["WorkspaceAPI.import_"]["cli"], "workspace import")
        self.assertEqual(self.calls["DefaultNamespaceAPI.get"]["cli"], "settings default-namespace get")
        self.assertNotIn("cli", self.calls["CommandExecutionAPI.command_status"])
        self.assertEqual(gen.kebab("GroupsV2"), "groups-v2")
        self.assertEqual(gen.kebab("list_node_types"), "list-node-types")

    def test_facts_kept_and_fixed(self):
        route = self.calls["ModelRegistryAPI.create_comment"]
        self.assertEqual(set(route), {"method", "path", "service", "call", "body", "required", "response", "cli"})
        self.assertEqual(self.calls["CommandExecutionAPI.command_status"]["required"], ["clusterId"])
        self.assertEqual(self.calls["JobsAPI.list"]["response"], "jobs.ListJobsResponse")
        self.assertEqual(self.table["types"]["jobs.ListJobsResponse"]["source"], "rest-api.md §6.3")
        self.assertEqual([r["path"] for r in self.table["routes"]], sorted(r["path"] for r in self.table["routes"]))


class CommittedTable(unittest.TestCase):
    def test_committed_table_is_canonical_and_closed(self):
        text = COMMITTED.read_bytes()
        table = json.loads(text)
        self.assertEqual(json.dumps(table, sort_keys=True, separators=(",", ":")).encode() + b"\n", text,
                         "api/schema/api-schema.json was edited by hand: regenerate it with scripts/gen-api-schema.py")
        names = set(table["types"])
        for route in table["routes"]:
            self.assertNotIn("/accounts/", route["path"])
            for ref in gen.route_refs(route):
                self.assertIn(ref, names, route["call"])
        for definition in table["types"].values():
            for field in definition.get("fields", {}).values():
                for ref in gen.type_refs(field["type"]):
                    self.assertIn(ref, names)


if __name__ == "__main__":
    unittest.main()
