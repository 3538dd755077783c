"""Tests of the contract check (tests/contract/validate.py): good exchanges pass, and each kind of
violation in a bad one is reported. Run with: python3 -m unittest discover -s tests/contract"""

import io
import json
import os
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import validate  # noqa: E402

BRIX = "brix/0.1.0 os/linux auth/pat"
SCHEMA = validate.Schema(json.loads(validate.DEFAULT_SCHEMA.read_text(encoding="utf-8")))
CHECKER = validate.Checker(SCHEMA, validate.load_unlisted(validate.DEFAULT_UNLISTED))


def record(method, path, query=None, body=None, status=200, response=None, user_agent=BRIX,
           content_type="application/json", response_content_type="application/json"):
    return {"method": method, "path": path, "query": query or {}, "user_agent": user_agent,
            "content_type": content_type, "body": body, "status": status,
            "response_content_type": response_content_type, "response": response}


def problems(exchange):
    """The violations of one exchange as "side json-path: problem" lines."""
    _, found = CHECKER.check(exchange)
    return ["%s %s: %s" % problem for problem in found]


class GoodExchanges(unittest.TestCase):
    def test_conforming_exchanges_pass(self):
        cases = [
            record("GET", "/api/2.2/jobs/get", query={"job_id": "5"},
                   response={"job_id": 5, "created_time": 1700000000000, "settings": {"name": "a", "tasks": [
                       {"task_key": "t", "spark_python_task": {"python_file": "/x.py"}}]}}),
            record("POST", "/api/2.2/jobs/create", body={"name": "a", "tags": {"k": "v"}, "max_concurrent_runs": 1,
                                                          "tasks": [{"task_key": "t", "notebook_task": {"notebook_path": "/n"}}]},
                   response={"job_id": 9223372036854775807}),
            record("POST", "/api/2.2/jobs/run-now", body={"job_id": 5, "idempotency_token": "x"},
                   response={"run_id": 7, "number_in_job": 7}),
            record("GET", "/api/2.2/jobs/list", query={"limit": "20", "expand_tasks": "false"}, response={"has_more": False}),
            record("PATCH", "/api/2.0/repos/12", body={"branch": "main"}, response={}),
            record("GET", "/api/2.0/repos/12", response={"id": 12, "path": "/Repos/a/b", "provider": "gitHub"}),
            record("DELETE", "/api/2.0/repos/12", response={}),
            record("POST", "/api/2.0/workspace/import", body={"path": "/a", "format": "SOURCE", "language": "PYTHON",
                                                               "content": "eA==", "overwrite": True}, response={}),
            # The multipart form of workspace/import is WorkspaceExt.upload's.
            record("POST", "/api/2.0/workspace/import", content_type="multipart/form-data; boundary=x", response={}),
            # dbfs/put as multipart is listed in unlisted-routes.tsv.
            record("POST", "/api/2.0/dbfs/put", content_type="multipart/form-data; boundary=x", response={}),
            record("PUT", "/api/2.0/fs/files/Volumes/c/s/v/a.txt", query={"overwrite": "true"},
                   content_type="application/octet-stream", response=None, response_content_type=None),
            record("GET", "/api/2.1/clusters/list", query={"filter_by.cluster_states": ["RUNNING", "PENDING"], "page_size": "10"},
                   response={"clusters": [{"cluster_id": "c", "state": "RUNNING", "custom_tags": {"a": "b"}}]}),
            record("GET", "/api/2.0/secrets/scopes/list", response={"scopes": [{"name": "s", "backend_type": "DATABRICKS"}]}),
            record("GET", "/api/2.0/preview/scim/v2/Me", response={"id": "1", "userName": "u", "displayName": "U"}),
            # Errors: any route, any status >= 400, the standard body.
            record("GET", "/api/2.2/jobs/get", query={"job_id": "404"}, status=404,
                   response={"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Job 404 does not exist."}),
            record("HEAD", "/api/2.0/fs/files/Volumes/x", status=404, response=None, response_content_type=None),
            # Unlisted routes, justified in the tsv; 2.1 jobs are checked as 2.2.
            record("POST", "/oidc/v1/token", content_type="application/x-www-form-urlencoded",
                   response={"access_token": "t", "token_type": "Bearer", "expires_in": 3600}),
            record("POST", "/oidc/v1/token", status=401, response={"error": "invalid_client", "error_description": "no"}),
            record("GET", "/.well-known/databricks-config", user_agent="databricks-sdk-py/0.1",
                   response={"oidc_endpoint": "http://h/oidc", "workspace_id": "1"}),
            record("POST", "/api/2.0/workspace-files/import-file/Users/a/b.py", query={"overwrite": "true"},
                   content_type="application/octet-stream", response={}),
            record("GET", "/api/2.1/jobs/runs/get", query={"run_id": "3"}, response={"run_id": 3, "state": {"life_cycle_state": "RUNNING"}}),
            record("POST", "/api/2.0/jobs/create", body={"name": "legacy", "new_cluster": {}, "notebook_task": {"notebook_path": "/n"}},
                   response={"job_id": 1}),
            # Other clients' requests are not checked (the tests send bad input on purpose).
            record("POST", "/api/2.2/jobs/create", body={"nonsense": True}, user_agent="curl/8.0", status=400,
                   response={"error_code": "INVALID_PARAMETER_VALUE", "message": "bad"}),
        ]
        for case in cases:
            with self.subTest(method=case["method"], path=case["path"]):
                self.assertEqual(problems(case), [])


class BadRequests(unittest.TestCase):
    def test_unknown_route_and_method(self):
        self.assertEqual(problems(record("GET", "/api/2.2/jobs/nothing", response={})),
                         ["request route: not in api-schema.json nor in tests/contract/unlisted-routes.tsv"])
        self.assertEqual(problems(record("PUT", "/api/2.2/jobs/create", body={}, response={})),
                         ["request route: method not in the schema (the path takes POST)"])
        # The engine saying it has no such route is what a workspace says: not an unlisted route.
        missing = {"error_code": "ENDPOINT_NOT_FOUND", "message": "No API found for 'GET /api/2.2/jobs/nothing'"}
        self.assertEqual(problems(record("GET", "/api/2.2/jobs/nothing", status=404, response=missing)), [])
        self.assertEqual(problems(record("GET", "/api/2.2/jobs/nothing", status=404, response={"error_code": "NOT_FOUND", "message": "m"})),
                         ["request route: not in api-schema.json nor in tests/contract/unlisted-routes.tsv"])

    def test_query_versus_body_placement(self):
        self.assertEqual(problems(record("GET", "/api/2.2/jobs/get", body={"job_id": 5}, response={"job_id": 5})),
                         ["request query.job_id: missing required parameter",
                          "request body: a GET sends its parameters in the query, not a JSON body"])
        self.assertEqual(problems(record("POST", "/api/2.2/jobs/delete", query={"job_id": "5"}, body={}, response={})),
                         ["request query.job_id: belongs in the JSON body"])
        # apps/create takes app_name... in the body, but no_compute in the query.
        self.assertIn("request body.no_compute: belongs in the query string",
                      problems(record("POST", "/api/2.0/apps", body={"name": "a", "no_compute": True}, response={"name": "a"})))

    def test_unknown_fields_at_any_depth(self):
        found = problems(record("POST", "/api/2.2/jobs/create", body={
            "name": "a", "existing_cluster_id": "c",
            "tasks": [{"task_key": "t", "notebook_task": {"notebook_path": "/n", "params": {}}}]}, response={"job_id": 1}))
        self.assertEqual(found, ["request body.existing_cluster_id: unknown field",
                                 "request body.tasks[0].notebook_task.params: unknown field"])
        self.assertEqual(problems(record("GET", "/api/2.2/jobs/get", query={"job_id": "1", "expand": "true"},
                                         response={"job_id": 1})),
                         ["request query.expand: unknown query parameter"])

    def test_json_types(self):
        found = problems(record("POST", "/api/2.2/jobs/create", body={
            "name": 5, "max_concurrent_runs": "1", "timeout_seconds": 1.5, "tags": {"a": 1}, "tasks": {}},
            response={"job_id": 1}))
        self.assertEqual(found, ["request body.name: expected string, got integer 5",
                                 "request body.max_concurrent_runs: expected integer, got string \"1\"",
                                 "request body.timeout_seconds: expected integer, got number 1.5",
                                 "request body.tags.a: expected string, got integer 1",
                                 "request body.tasks: expected array, got object"])
        self.assertEqual(problems(record("GET", "/api/2.2/jobs/get", query={"job_id": "abc"}, response={"job_id": 1})),
                         ["request query.job_id: expected integer, got \"abc\""])
        self.assertEqual(problems(record("GET", "/api/2.2/jobs/list", query={"expand_tasks": "yes"}, response={})),
                         ["request query.expand_tasks: expected true or false, got \"yes\""])
        self.assertEqual(problems(record("POST", "/api/2.2/jobs/delete", body={"job_id": True}, response={})),
                         ["request body.job_id: expected integer, got boolean true"])
        self.assertEqual(problems(record("POST", "/api/2.2/jobs/delete", body={"job_id": 2 ** 63}, response={})),
                         ["request body.job_id: 9223372036854775808 is out of the int64 range"])

    def test_required_fields(self):
        self.assertEqual(problems(record("POST", "/api/2.1/clusters/edit", body={"cluster_id": "c"}, response={})),
                         ["request body.spark_version: missing required field"])
        self.assertEqual(problems(record("POST", "/api/2.2/jobs/create", body={"tasks": [{"spark_python_task": {}}]},
                                         response={"job_id": 1})),
                         ["request body.tasks[0].spark_python_task.python_file: missing required field",
                          "request body.tasks[0].task_key: missing required field"])
        # Path parameters count as given.
        self.assertEqual(problems(record("PATCH", "/api/2.0/repos/7", body={"tag": "v1"}, response={})), [])

    def test_enum_values(self):
        self.assertEqual(problems(record("POST", "/api/2.0/workspace/import", body={"path": "/a", "format": "source"},
                                         response={})),
                         ["request body.format: \"source\" is not one of AUTO, DBC, HTML, JUPYTER, RAW, R_MARKDOWN, SOURCE"])
        self.assertEqual(problems(record("GET", "/api/2.2/jobs/runs/list", query={"run_type": "NIGHTLY"}, response={})),
                         ["request query.run_type: \"NIGHTLY\" is not one of JOB_RUN, SUBMIT_RUN, WORKFLOW_RUN"])

    def test_bodies_that_are_not_json(self):
        self.assertEqual(problems(record("POST", "/api/2.0/dbfs/mkdirs", content_type="multipart/form-data; boundary=x",
                                         response={})),
                         ["request body: a multipart/form-data body where the schema takes JSON"])
        self.assertEqual(problems(record("PUT", "/api/2.0/fs/files/Volumes/a", body={"contents": "x"}, response={})),
                         ["request body: a JSON body where the schema takes raw content"])

    def test_requests_refused_with_4xx_are_not_checked(self):
        bad = dict(body={"scope": "s", "principal": "p", "permission": "OWNER"})
        self.assertEqual(problems(record("POST", "/api/2.0/secrets/acls/put", status=400,
                                         response={"error_code": "INVALID_PARAMETER_VALUE", "message": "bad"}, **bad)), [])
        self.assertEqual(problems(record("POST", "/api/2.0/secrets/acls/put", response={}, **bad)),
                         ["request body.permission: \"OWNER\" is not one of MANAGE, READ, WRITE"])
        self.assertEqual(problems(record("POST", "/api/2.0/secrets/acls/put", status=500,
                                         response={"error_code": "INTERNAL_ERROR", "message": "x"}, **bad)),
                         ["request body.permission: \"OWNER\" is not one of MANAGE, READ, WRITE"])

    def test_paths_with_newlines_still_match(self):
        self.assertEqual(problems(record("PUT", "/api/2.0/fs/files/Volumes/a\nb", content_type="application/octet-stream",
                                         response={})), [])

    def test_aliased_routes_are_checked_as_their_target(self):
        self.assertEqual(problems(record("POST", "/api/2.1/jobs/create", body={"name": "a", "notebook_task": {}},
                                         response={"job_id": 1})),
                         ["request body.notebook_task: unknown field"])


class BadAnswers(unittest.TestCase):
    def test_answer_fields_and_types(self):
        found = problems(record("GET", "/api/2.2/jobs/runs/get", query={"run_id": "1"}, response={
            "run_id": "1", "state": {"life_cycle_state": "DONE"}, "tasks": [{"run_id": 2}], "extra": 1}))
        self.assertEqual(found, ["response body.run_id: expected integer, got string \"1\"",
                                 "response body.state.life_cycle_state: \"DONE\" is not one of BLOCKED, INTERNAL_ERROR, "
                                 "PENDING, QUEUED, RUNNING, SKIPPED, TERMINATED, TERMINATING, WAITING_FOR_RETRY",
                                 "response body.tasks[0].task_key: missing required field",
                                 "response body.extra: unknown field"])

    def test_numbers_are_not_booleans(self):
        self.assertEqual(problems(record("GET", "/api/2.1/clusters/get", query={"cluster_id": "c"},
                                         response={"cluster_id": "c", "cluster_cores": True, "cluster_memory_mb": 1.0,
                                                   "num_workers": False})),
                         ["response body.cluster_cores: expected number, got boolean true",
                          "response body.cluster_memory_mb: expected integer, got number 1.0",
                          "response body.num_workers: expected integer, got boolean false"])
        self.assertEqual(problems(record("GET", "/api/2.1/clusters/get", query={"cluster_id": "c"},
                                         response={"cluster_cores": 4, "cluster_memory_mb": 4096})), [])

    def test_brix_extension_objects_in_answers(self):
        task = {"task_key": "t", "run_id": 2, "brix_metrics": {"exit_code": 0}}
        self.assertEqual(problems(record("GET", "/api/2.2/jobs/runs/get", query={"run_id": "1"},
                                         response={"run_id": 1, "tasks": [task]})), [])
        # only objects under the prefix: anything else is an unknown field as usual
        self.assertEqual(problems(record("GET", "/api/2.2/jobs/runs/get", query={"run_id": "1"},
                                         response={"run_id": 1, "brix_note": "x"})),
                         ["response body.brix_note: unknown field"])

    def test_void_routes_answer_empty_objects(self):
        self.assertEqual(problems(record("POST", "/api/2.2/jobs/delete", body={"job_id": 1}, response={"deleted": True})),
                         ["response body: the route answers {} (no response type), got object"])

    def test_error_bodies(self):
        self.assertEqual(problems(record("GET", "/api/2.2/jobs/get", query={"job_id": "1"}, status=404,
                                         response={"error_code": 404, "msg": "x"})),
                         ["response body.error_code: expected string, got integer 404", "response body.message: missing"])
        self.assertEqual(problems(record("GET", "/api/2.2/jobs/get", query={"job_id": "1"}, status=500,
                                         response=None, response_content_type="text/html")),
                         ["response body: an error answer must be a JSON object"])
        # Answers are checked whoever asked, and on unlisted routes too.
        self.assertEqual(problems(record("GET", "/api/2.0/jobs/get", query={"job_id": "x"}, user_agent="curl/8", status=400,
                                         response={"message": "bad"})),
                         ["response body.error_code: missing"])
        # A presigned Files API URL answers as cloud storage does; without a signature, XML is an error.
        presigned = record("GET", "/api/2.0/fs/files/Volumes/c/s/v/a", query={"X-Brix-Expires": "1", "X-Brix-Signature": "ab"},
                           user_agent="python", status=403, response=None, response_content_type="application/xml")
        self.assertEqual(problems(presigned), [])
        self.assertEqual(problems(dict(presigned, query={})), ["response body: an error answer must be a JSON object"])


class TheCommand(unittest.TestCase):
    def run_validator(self, lines, *flags):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as stream:
            stream.write("".join(line + "\n" for line in lines))
        self.addCleanup(os.unlink, stream.name)
        out = io.StringIO()
        code = validate.run(validate.argparse.Namespace(records=[stream.name], schema=str(validate.DEFAULT_SCHEMA),
                                                         unlisted=str(validate.DEFAULT_UNLISTED), summary="--summary" in flags), out)
        return code, out.getvalue()

    def test_exit_status_output_and_summary(self):
        good = json.dumps(record("GET", "/api/2.2/jobs/get", query={"job_id": "5"}, response={"job_id": 5}))
        code, out = self.run_validator([good, good], "--summary")
        self.assertEqual(code, 0, out)
        self.assertIn("     2  GET /api/2.2/jobs/get", out)
        self.assertIn("contract: 2 records, 1 routes, 0 violations, 0 unlisted routes", out)

        bad = json.dumps(record("GET", "/api/2.2/jobs/get", query={"job_id": "x"}, response={"job_id": 5}))
        code, out = self.run_validator([good, bad])
        self.assertEqual(code, 1)
        self.assertIn("GET /api/2.2/jobs/get: request query.job_id: expected integer, got \"x\"\n", out)
        self.assertIn("1 violations, 0 unlisted routes", out)

        unlisted = json.dumps(record("GET", "/api/9.9/nothing", response={}))
        code, out = self.run_validator([unlisted, "not json"])
        self.assertEqual(code, 1)
        self.assertIn("1 violations, 1 unlisted routes", out)
        self.assertIn(":2: not a record", out)

    def test_unlisted_file_is_well_formed(self):
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as stream:
            stream.write("GET\t/api/2.0/x\tno section here\n")
        self.addCleanup(os.unlink, stream.name)
        with self.assertRaises(ValueError):
            validate.load_unlisted(stream.name)
        for method, template, entries, _ in ((k[0], k[1], v, 0) for k, v in CHECKER.unlisted.by_key.items()):
            with self.subTest(route=method + " " + template):
                if entries[0]["as"]:
                    self.assertIsNotNone(SCHEMA.routes.find(method, entries[0]["as"]))


if __name__ == "__main__":
    unittest.main()
