"""The layering rules catch what they should (and the tree obeys them)."""
import os
import unittest

import check_layering as layering


class Rules(unittest.TestCase):
    def test_upward_includes_are_refused(self):
        self.assertIsNotNone(layering.violation("engine/clusters/service.cpp", "engine/jobs/service.hpp"))
        self.assertIsNotNone(layering.violation("engine/repos/routes.cpp", "engine/clusters/store.hpp"))
        self.assertIsNotNone(layering.violation("engine/store/paths.cpp", "engine/workspace/store.hpp"))
        self.assertIsNotNone(layering.violation("engine/secrets/service.cpp", "engine/local_api.hpp"))

    def test_downward_includes_are_allowed(self):
        self.assertIsNone(layering.violation("engine/jobs/task_prep.cpp", "engine/clusters/environment.hpp"))
        self.assertIsNone(layering.violation("engine/jobs/run_json.cpp", "engine/repos/git_source.hpp"))
        self.assertIsNone(layering.violation("engine/repos/mirror.cpp", "engine/workspace/service.hpp"))
        self.assertIsNone(layering.violation("engine/workspace/routes.cpp", "engine/routes.hpp"))
        self.assertIsNone(layering.violation("engine/local_api.cpp", "engine/jobs/launcher.hpp"))

    def test_transports_and_commands(self):
        self.assertIsNotNone(layering.violation("server/handler.cpp", "engine/identity/tokens.hpp"))
        self.assertIsNone(layering.violation("server/handler.cpp", "engine/local_api.hpp"))
        self.assertIsNotNone(layering.violation("client/http_api.cpp", "engine/local_api.hpp"))
        self.assertIsNotNone(layering.violation("commands/jobs/jobs.cpp", "engine/jobs/service.hpp"))
        self.assertIsNotNone(layering.violation("engine/jobs/launcher.cpp", "cli/context.hpp"))
        self.assertIsNone(layering.violation("commands/serve/serve.cpp", "server/loader.hpp"))

    def test_the_tree_obeys_them(self):
        root = os.path.join(os.path.dirname(__file__), "..", "..")
        self.assertEqual(0, self._run(root))

    def _run(self, root):
        import sys
        saved = sys.argv
        sys.argv = ["check_layering.py", root]
        try:
            return layering.main()
        finally:
            sys.argv = saved


if __name__ == "__main__":
    unittest.main()
