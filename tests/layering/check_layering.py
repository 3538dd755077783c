#!/usr/bin/env python3
"""Checks that dependencies between the source folders point one way (docs/architecture.md).

Every `#include "..."` of the project's own headers is an edge. The rules:
  - engine areas form layers: an area includes only areas of a lower layer, the engine's root
    routing headers (router, params, routes), and itself; the engine never includes cli/,
    commands/, client/ or server/;
  - server/ reaches the engine only through engine/local_api.hpp;
  - client/ never includes engine/ or server/; commands/ include neither engine/ nor client/
    (they talk to the Api contract), except the serve command, which loads the server plugin.
Prints each violation and exits 1 when there is one.
"""
import os
import re
import sys

# Lower numbers are lower layers. `jobs` may use clusters and repos, never the reverse; `files`
# asks `catalog` whether a volume exists; `permissions` checks that the objects it guards exist.
ENGINE_LAYERS = {
    "store": 0,
    "notebook": 1, "runtime": 1,
    "identity": 2,
    "workspace": 3, "secrets": 3, "catalog": 3,
    "files": 4, "repos": 4, "clusters": 4,
    "jobs": 5,
    "permissions": 6,
}
ENGINE_ROUTING = {"engine/router.hpp", "engine/params.hpp", "engine/routes.hpp"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources(root):
    for top in ("api", "cli", "client", "commands", "engine", "server"):
        for folder, _, names in os.walk(os.path.join(root, top)):
            for name in names:
                if name.endswith((".cpp", ".hpp", ".h")):
                    path = os.path.join(folder, name)
                    yield os.path.relpath(path, root)


def violation(source, target):
    """Why `source` may not include `target`, or None when it may."""
    s, t = source.split("/"), target.split("/")
    if s[0] == "engine":
        if t[0] in ("cli", "commands", "client", "server"):
            return "the engine never depends on " + t[0] + "/"
        if t[0] != "engine":
            return None
        if len(s) == 2:  # the engine's root (LocalApi, router) assembles every area
            return None
        area = s[1]
        if len(t) == 2:
            return None if target in ENGINE_ROUTING else "an area uses only the root's routing headers"
        other = t[1]
        if other == area:
            return None
        if other not in ENGINE_LAYERS or area not in ENGINE_LAYERS:
            return "unknown engine area " + (other if other not in ENGINE_LAYERS else area)
        if ENGINE_LAYERS[other] >= ENGINE_LAYERS[area]:
            return f"engine/{area} (layer {ENGINE_LAYERS[area]}) may not use engine/{other} (layer {ENGINE_LAYERS[other]})"
        return None
    if s[0] == "server" and t[0] == "engine" and target != "engine/local_api.hpp":
        return "server/ reaches the engine only through engine/local_api.hpp"
    if s[0] in ("server", "client", "api") and t[0] in ("cli", "commands"):
        return s[0] + "/ never depends on " + t[0] + "/"
    if s[0] == "client" and t[0] in ("engine", "server"):
        return "client/ never depends on " + t[0] + "/"
    if s[0] == "api" and t[0] != "api":
        return "api/ is the contract: it depends on nothing of the project"
    if s[0] == "commands" and t[0] in ("engine", "client"):
        return "commands talk to the Api contract, not to a backend"
    if s[0] == "commands" and t[0] == "server" and s[1] != "serve":
        return "only the serve command loads the server"
    return None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    problems = []
    edges = 0
    for source in sorted(sources(root)):
        with open(os.path.join(root, source), encoding="utf-8") as handle:
            for target in INCLUDE.findall(handle.read()):
                if not os.path.exists(os.path.join(root, target)):
                    continue  # generated at build time, or a system header in quotes
                edges += 1
                why = violation(source, target)
                if why:
                    problems.append(f"{source} includes {target}: {why}")
    for problem in problems:
        print(problem)
    print(f"{edges} includes checked, {len(problems)} against the layering")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
