#include "engine/jobs/task_prep.hpp"

#include <fstream>

#include "engine/clusters/environment.hpp"
#include "engine/jobs/job_settings.hpp"
#include "engine/jobs/task_launch.hpp"
#include "engine/jobs/task_files.hpp"
#include "engine/notebook/notebook.hpp"
#include "engine/repos/git_source.hpp"
#include "engine/repos/service.hpp"
#include "engine/store/paths.hpp"

namespace brix::engine::jobs {
namespace {

using api::Json;
namespace nb = notebook;

constexpr int kMaxRunDepth = 32;

std::string python_binary() {
    const char* configured = std::getenv("BRIX_PYTHON");
    return configured && *configured ? configured : "python3";
}

std::vector<std::string> string_list(const Json& values, const ReferenceLookup& references, const std::string& what) {
    std::vector<std::string> out;
    if (values.is_null()) return out;
    if (!values.is_array()) throw api::invalid_parameter(what + " must be a list of strings");
    for (const auto& value : values) {
        if (!value.is_string()) throw api::invalid_parameter(what + " must be a list of strings");
        out.push_back(substitute_references(value.get<std::string>(), references));
    }
    return out;
}

std::map<std::string, std::string> string_map(const Json& values, const ReferenceLookup& references, const std::string& what) {
    std::map<std::string, std::string> out;
    if (values.is_null()) return out;
    if (!values.is_object()) throw api::invalid_parameter(what + " must be an object of strings");
    for (const auto& [key, value] : values.items()) {
        if (!value.is_string()) throw api::invalid_parameter(what + "." + key + " must be a string");
        out[key] = substitute_references(value.get<std::string>(), references);
    }
    return out;
}

// A notebook to flatten: a workspace path, or, for a task from git_source, a path relative to the
// root of the run's checkout.
struct NotebookRef {
    std::string path;
    const repos::GitSourceCheckout* git = nullptr;
};

// The notebook a %run cell names: its first word, or a quoted path ("./my notebook").
std::string run_target(const std::string& text) {
    auto start = text.find_first_not_of(" \t\n");
    if (start == std::string::npos) return "";
    char quote = text[start];
    if (quote == '"' || quote == '\'') {
        auto end = text.find(quote, start + 1);
        return end == std::string::npos ? "" : text.substr(start + 1, end - start - 1);
    }
    auto end = text.find_first_of(" \t\n", start);
    return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// A notebook with every %run replaced by the cells of the notebook it names, recursively. In a
// notebook from git, a relative %run stays in the checkout; an absolute one names the workspace.
void flatten_notebook(store::EngineRoot& root, const NotebookRef& ref, Json& cells, int depth) {
    if (depth > kMaxRunDepth) throw api::invalid_parameter("%run nests deeper than 32 notebooks (a cycle?) at " + ref.path);
    std::string source, shown_path;
    nb::Language language = nb::Language::Python;
    if (ref.git) {
        auto code = repos::find_git_code(*ref.git, ref.path, repos::CodeKind::Notebook);
        if (!code) throw api::invalid_parameter(ref.path + " is not a notebook in " + ref.git->url + " at " + ref.git->commit);
        source = std::move(code->source);
        language = nb::language_from_name(code->language).value_or(nb::Language::Python);
        shown_path = code->relative_path;
    } else {
        auto file = resolve_task_file(root, ref.path);
        if (!file) throw api::invalid_parameter("Notebook " + ref.path + " does not exist");
        if (file->object_type != "NOTEBOOK") throw api::invalid_parameter(ref.path + " is not a notebook");
        language = nb::language_from_name(file->language).value_or(nb::Language::Python);
        std::ifstream in(file->disk_path, std::ios::binary);
        source.assign((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        shown_path = file->workspace_path;
    }
    int number = 0;
    for (const auto& cell : nb::parse_source(source, language)) {
        ++number;
        if (cell.magic == "run") {
            auto target = run_target(cell.text);
            if (target.empty()) throw api::invalid_parameter("%run without a notebook path in " + shown_path);
            NotebookRef next;
            if (target.front() == '/') next = {store::normalize_workspace_path(target), nullptr};
            else if (ref.git) next = {repos::join_git_path(shown_path, target), ref.git};
            else next = {store::normalize_workspace_path(store::parent_path(shown_path) + "/" + target), nullptr};
            // The runtime reads the %run line's $name="value" arguments from the "begin" cell and
            // gives them to the included notebook's widgets until the "end" cell.
            auto marker = [&](const char* scope) {
                return Json{{"number", number}, {"magic", "run"}, {"run", scope}, {"text", cell.text},
                            {"first_line", cell.first_line}, {"source_path", shown_path}};
            };
            cells.push_back(marker("begin"));
            flatten_notebook(root, next, cells, depth + 1);
            cells.push_back(marker("end"));
            continue;
        }
        auto magic = cell.magic;
        if (magic.empty() && language != nb::Language::Python) magic = language == nb::Language::Sql ? "sql" : std::string(nb::language_name(language));
        for (auto& c : magic) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        cells.push_back(Json{{"number", number},
                             {"magic", magic},
                             {"text", cell.text},
                             {"first_line", cell.first_line},
                             {"source_path", shown_path}});
    }
}

std::string unsupported(const std::string& type, const std::string& why) {
    return "A " + type + " cannot run on the brix local engine: " + why;
}

bool on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        auto end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        if (::access((dirs.substr(start, end - start) + "/" + program).c_str(), X_OK) == 0) return true;
        start = end + 1;
    }
    return false;
}

}  // namespace

std::map<std::string, std::string> notebook_widgets(const RunContext& context, const Json& task, const ReferenceLookup& references) {
    auto widgets = string_map(task["notebook_task"].value("base_parameters", Json::object()), references, "base_parameters");
    for (const auto& [key, value] : string_map(context.overriding.value("notebook_params", Json::object()), references, "notebook_params"))
        widgets[key] = value;
    for (const auto& [key, value] : context.job_parameters) widgets[key] = value;  // job parameters win
    return widgets;
}

PreparedTask prepare_task(store::EngineRoot& root, const RunContext& context, const Json& task, std::int64_t task_run_id,
                          const ReferenceLookup& references) {
    PreparedTask prepared;
    // PYTHONPATH is split at ':'. A root whose path holds one would lose the runtime from the
    // task's module path, and with it the /dbfs and /Workspace mapping: such a task never starts.
    if (root.root().string().find(':') != std::string::npos) {
        prepared.error = "The engine root " + root.root().string() +
                         " contains ':', which PYTHONPATH cannot hold: tasks cannot run from it. "
                         "Move the engine root (BRIX_HOME) to a path without ':'";
        return prepared;
    }
    auto type = task_type_of(task);
    auto dir = context.run_dir / std::to_string(task_run_id);
    std::filesystem::create_directories(dir);
    const auto& spec = task[type];
    TaskCode code;
    auto add_python_path = [&](const std::filesystem::path& folder) { code.python_path.push_back(folder); };

    // The compute the task selects (existing_cluster_id, new_cluster, job_cluster_key): its
    // interpreter, environment variables and Spark settings.
    auto compute = clusters::task_environment(root, context.job_settings, task, python_binary(), context.parallelism);
    if (!compute.problem.empty()) {
        prepared.error = compute.problem;
        return prepared;
    }
    const auto& python = compute.python;

    // Code from git_source: the run's checkout of the pinned commit; task paths are relative to it.
    std::optional<repos::GitSourceCheckout> git;
    if (type != "condition_task" && type != "run_job_task" && spec.is_object() &&
        spec.value("source", context.job_settings.contains("git_source") ? "GIT" : "WORKSPACE") == "GIT") {
        if (!context.job_settings.contains("git_source")) {
            prepared.error = "Task " + task.value("task_key", "") + " has source GIT but the job has no git_source";
            return prepared;
        }
        git = repos::checkout_git_source(root, context.job_settings["git_source"], context.run_dir, context.job_run_id);
        add_python_path(git->dir);
    }
    auto code_file = [&](const std::string& path) -> std::optional<TaskFile> {
        if (!git) return resolve_task_file(root, path);
        auto found = repos::find_git_code(*git, path, repos::CodeKind::File);
        if (!found) return std::nullopt;
        return TaskFile{found->disk_path, "", "FILE", ""};
    };
    auto missing_in = [&](const std::string& path) { return git ? path + " (in " + git->url + " at " + git->commit + ")" : path; };

    if (type == "spark_python_task") {
        auto path = spec.value("python_file", "");
        auto file = code_file(path);
        if (!file) {
            prepared.error = "python_file " + missing_in(path) + " does not exist";
            return prepared;
        }
        auto parameters = context.overriding.contains("python_params")
                              ? string_list(context.overriding["python_params"], references, "python_params")
                              : string_list(spec.value("parameters", Json::array()), references, "parameters");
        code.argv = {python, file->disk_path.string()};
        code.argv.insert(code.argv.end(), parameters.begin(), parameters.end());
        // Its working folder is the folder holding it (Databricks Runtime 14+), but for a file on
        // DBFS, which runs from the task's own folder as from a cluster's driver folder.
        if (file->disk_path.native().rfind(root.dbfs_dir().native() + "/", 0) != 0) code.code_folder = file->disk_path.parent_path();
        if (!git)
            if (auto repo = repos::repo_root_on_disk(root, file->workspace_path)) add_python_path(*repo);
        prepared.resolved_values = Json{{type, {{"parameters", parameters}}}};
    } else if (type == "notebook_task") {
        Json cells = Json::array();
        auto path = git ? spec.value("notebook_path", "") : store::normalize_workspace_path(spec.value("notebook_path", ""));
        flatten_notebook(root, NotebookRef{path, git ? &*git : nullptr}, cells, 0);
        // As on Databricks, modules of the notebook's repo (a Repos folder or the git checkout) import.
        if (git) add_python_path((git->dir / path).parent_path());
        else if (auto repo = repos::repo_root_on_disk(root, path)) add_python_path(*repo);
        code.code_folder = git ? (git->dir / path).parent_path() : root.workspace_dir() / store::parent_path(path).substr(1);
        // Cells keep what they can of text that is not UTF-8 (U+FFFD for each bad byte).
        std::ofstream(dir / "notebook.json") << Json{{"path", path}, {"cells", cells}}.dump(-1, ' ', false, Json::error_handler_t::replace);
        Json widgets(notebook_widgets(context, task, references));
        code.env["BRIX_WIDGETS"] = widgets.dump();
        code.env["BRIX_NOTEBOOK_PATH"] = path;
        code.argv = {python, "-m", "brix_runtime.notebook", (dir / "notebook.json").string()};
        prepared.resolved_values = Json{{type, {{"base_parameters", widgets}}}};
    } else if (type == "python_wheel_task") {
        std::vector<std::string> arguments;
        auto named = context.overriding.contains("python_named_params") ? context.overriding["python_named_params"]
                                                                        : spec.value("named_parameters", Json());
        if (!named.is_null()) {
            auto values = string_map(named, references, "named_parameters");
            for (const auto& [key, value] : context.job_parameters) values[key] = value;
            for (const auto& [key, value] : values) arguments.push_back("--" + key + "=" + value);
            prepared.resolved_values = Json{{type, {{"named_parameters", values}}}};
        } else {
            arguments = context.overriding.contains("python_params")
                            ? string_list(context.overriding["python_params"], references, "python_params")
                            : string_list(spec.value("parameters", Json::array()), references, "parameters");
            prepared.resolved_values = Json{{type, {{"parameters", arguments}}}};
        }
        // The entry point of the installed package, found the way `pip`-generated scripts find it.
        static const char* launcher =
            "import sys\nfrom importlib.metadata import entry_points, distribution\n"
            "package, name = sys.argv[1], sys.argv[2]\n"
            // entry_points() is a dict of groups up to Python 3.11 (iterating it gives group names),
            // an EntryPoints list from 3.12; select(group=...) exists from 3.10, .get before.
            "found = entry_points()\n"
            "groups = ('console_scripts', 'gui_scripts')\n"
            "points = [p for g in groups for p in (found.select(group=g) if hasattr(found, 'select') else found.get(g, []))]\n"
            "points = [p for p in points if p.name == name]\n"
            "norm = lambda s: s.lower().replace('-', '_')\n"
            "dist = lambda p: getattr(p, 'dist', None)\n"
            "points = [p for p in points if dist(p) is None or norm(dist(p).name) == norm(package)] or points\n"
            "if points:\n    target = points[0].load()\nelse:\n"
            "    import importlib\n    module = importlib.import_module(package)\n    target = getattr(module, name, None)\n"
            "    if target is None:\n        sys.exit(f'Entry point {name} not found in package {package}')\n"
            "sys.argv = [name] + sys.argv[3:]\nresult = target()\nsys.exit(result if isinstance(result, int) else 0)\n";
        code.argv = {python, "-c", launcher, spec.value("package_name", ""), spec.value("entry_point", "")};
        code.argv.insert(code.argv.end(), arguments.begin(), arguments.end());
    } else if (type == "spark_jar_task" || type == "spark_submit_task") {
        if (!on_path("spark-submit")) {
            prepared.error = unsupported(type, "it needs spark-submit on PATH");
            return prepared;
        }
        std::vector<std::string> argv = {"spark-submit", "--master", "local[" + std::to_string(compute.parallelism) + "]"};
        argv.insert(argv.end(), compute.spark_submit_conf.begin(), compute.spark_submit_conf.end());
        if (type == "spark_jar_task") {
            argv.push_back("--class");
            argv.push_back(spec.value("main_class_name", ""));
            for (const auto& library : task.value("libraries", Json::array()))
                if (library.contains("jar")) argv.push_back(library["jar"].get<std::string>());
        }
        auto key = type == "spark_jar_task" ? "jar_params" : "spark_submit_params";
        auto parameters = context.overriding.contains(key) ? string_list(context.overriding[key], references, key)
                                                           : string_list(spec.value("parameters", Json::array()), references, "parameters");
        argv.insert(argv.end(), parameters.begin(), parameters.end());
        code.argv = argv;
        prepared.resolved_values = Json{{type, {{"parameters", parameters}}}};
    } else if (type == "sql_task") {
        std::string query;
        if (spec.contains("file")) {
            auto file = code_file(spec["file"].value("path", ""));
            if (!file) {
                prepared.error = "SQL file " + missing_in(spec["file"].value("path", "")) + " does not exist";
                return prepared;
            }
            std::ifstream in(file->disk_path);
            query.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        } else {
            prepared.error = unsupported(type, "only sql_task.file runs locally (queries, alerts and dashboards live in a SQL warehouse)");
            return prepared;
        }
        Json cells = Json::array({Json{{"number", 1}, {"magic", "sql"}, {"text", query}, {"first_line", 1}, {"source_path", spec["file"].value("path", "")}}});
        std::ofstream(dir / "notebook.json") << Json{{"path", spec["file"].value("path", "")}, {"cells", cells}}.dump();
        code.argv = {python, "-m", "brix_runtime.notebook", (dir / "notebook.json").string()};
    } else {
        prepared.error = unsupported(type.empty() ? "task of unknown type" : type, "there is no local runtime for it");
        return prepared;
    }
    auto launch = launch_task(root, context, task, task_run_id, compute, code);
    prepared.spec = std::move(launch.spec);
    prepared.error = std::move(launch.problem);
    return prepared;
}

}  // namespace brix::engine::jobs
