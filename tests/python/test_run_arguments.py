"""`%run ./other $name="value"`: how the runtime reads the arguments of a %run line, and how they
reach the included notebook's widgets (the engine inlines the included cells between a "begin"
and an "end" cell of magic "run", engine/jobs/task_prep.cpp).

Run from the repository root:  python3 -m unittest discover -s tests/python -v"""

import json
import unittest

from test_runtime import RuntimeTestCase


class ParseRunArgumentsTest(RuntimeTestCase):
    def parse(self, *texts):
        """parse_run_arguments of each text, in a runtime process: (path, arguments) or the error."""
        proc = self.run_py('''
            import json, sys
            from brix_runtime.notebook import parse_run_arguments
            out = []
            for text in json.loads(sys.argv[1]):
                try:
                    out.append(list(parse_run_arguments(text)))
                except ValueError as exc:
                    out.append("ValueError: " + str(exc))
            print(json.dumps(out))
        ''', args=[json.dumps(texts)])
        self.assertOk(proc)
        return json.loads(proc.stdout)

    def test_quoted_and_bare_values(self):
        self.assertEqual(self.parse(
            './other $name="value"',
            "./other $name=value",
            '../lib/setup $env="prod" $day=2026-01-02 $empty=""',
            " /Shared/etl/config   $a='single quoted'\n",
        ), [
            ["./other", {"name": "value"}],
            ["./other", {"name": "value"}],
            ["../lib/setup", {"env": "prod", "day": "2026-01-02", "empty": ""}],
            ["/Shared/etl/config", {"a": "single quoted"}],
        ])

    def test_spaces_quotes_and_equals_inside_values(self):
        self.assertEqual(self.parse(
            '"./my notebook" $title="a b  c"',
            '/x $json="{\\"k\\": [1, 2]}"',
            '/x $expr="a=b" $path=/dbfs/x=y',
            './other',
        ), [
            ["./my notebook", {"title": "a b  c"}],
            ["/x", {"json": '{"k": [1, 2]}'}],
            ["/x", {"expr": "a=b", "path": "/dbfs/x=y"}],
            ["./other", {}],
        ])

    def test_malformed_lines_are_errors(self):
        self.assertEqual(self.parse(
            "./other name=value",
            "./other $=value",
            "./other $name",
            './other $name="unclosed',
            "   ",
        ), [
            "ValueError: %run ./other name=value: arguments are $name=\"value\", not 'name=value'",
            "ValueError: %run ./other $=value: arguments are $name=\"value\", not '$=value'",
            "ValueError: %run ./other $name: arguments are $name=\"value\", not '$name'",
            "ValueError: %run ./other $name=\"unclosed: No closing quotation",
            "ValueError: %run needs the path of a notebook",
        ])


class RunArgumentWidgetsTest(RuntimeTestCase):
    def included(self, arguments_line, *cells):
        """The cells of an included notebook between the engine's begin and end cells."""
        begin = {"magic": "run", "run": "begin", "text": arguments_line, "source_path": "/Shared/caller"}
        end = {"magic": "run", "run": "end", "text": arguments_line, "source_path": "/Shared/caller"}
        return [begin, *cells, end]

    def test_arguments_set_the_included_widgets_until_it_ends(self):
        show = 'print({label!r}, sorted(dbutils.widgets.getAll().items()))'
        cells = [
            *self.included(
                './child $env="prod" $region=eu-west',
                {"text": 'dbutils.widgets.text("env", "dev")\ndbutils.widgets.text("region", "none")\n'
                         'print("child", dbutils.widgets.get("env"), dbutils.widgets.get("region"), dbutils.widgets.get("team"))'},
                *self.included(
                    './grandchild $region=us-east',
                    {"text": show.format(label="grandchild")},
                ),
                {"text": show.format(label="child again")},
            ),
            {"text": show.format(label="caller")},
            {"text": 'print("getArgument", dbutils.widgets.getArgument("region", "-"), getArgument("env"))'},
        ]
        proc = self.run_notebook(cells, env={"BRIX_WIDGETS": json.dumps({"team": "from-task", "env": "from-task"})})
        self.assertOk(proc)
        self.assertEqual(proc.stdout.splitlines(), [
            # the %run arguments beat both the widget's default and the task's own parameters
            "child prod eu-west from-task",
            # a nested %run keeps the outer arguments it does not set again
            "grandchild [('env', 'prod'), ('region', 'us-east'), ('team', 'from-task')]",
            "child again [('env', 'prod'), ('region', 'eu-west'), ('team', 'from-task')]",
            # back in the caller: its own parameters, and the widgets the child defined
            "caller [('env', 'from-task'), ('region', 'none'), ('team', 'from-task')]",
            "getArgument none from-task",
        ])

    def test_a_malformed_argument_fails_at_the_run_cell(self):
        cells = [
            {"text": 'print("before")'},
            *self.included("./child env=prod", {"text": 'print("never")'}),
        ]
        proc = self.run_notebook(cells)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertEqual(proc.stdout, "before\n")
        error = self.read_json("error.json")
        self.assertEqual(error["error"],
                         "UnsupportedMagicError: %run ./child env=prod: arguments are $name=\"value\", not 'env=prod'")
        self.assertTrue(error["error_trace"].startswith("Cell 2 (/Shared/caller, line 1)"), error["error_trace"])


if __name__ == "__main__":
    unittest.main()
