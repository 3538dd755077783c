// The generated command groups: the compiled-in table, how arguments, flags and --json map to the
// request (types checked), and the CLI11 tree of every group (cheap here, where the e2e help suite
// only walks a sample).
#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <set>

#include "cli/context.hpp"
#include "cli/help_formatter.hpp"
#include "commands/generated/command_help.hpp"
#include "commands/generated/command_table.hpp"
#include "commands/generated/generated_command.hpp"
#include "commands/generated/generated_groups.hpp"
#include "commands/generated/request_builder.hpp"

using namespace brix;
using namespace brix::commands::generated;
using api::Json;

namespace {

CommandSpec command(const std::string& group, const std::string& words) {
    for (auto& spec : load_group(group))
        if (spec.command_words() == group + " " + words) return spec;
    FAIL("no command " << group << " " << words);
    return {};
}

api::Request build(const std::string& group, const std::string& words, std::vector<std::string> args,
                   std::map<std::string, std::string> flags = {}, std::optional<Json> json = std::nullopt) {
    return build_request(command(group, words), CommandInput{std::move(args), std::move(flags), std::move(json)});
}

std::string usage_error_of(const std::function<void()>& work) {
    try {
        work();
    } catch (const cli::UsageError& error) {
        return error.what();
    }
    FAIL("expected a usage error");
    return "";
}

std::vector<std::string> names_below(CLI::App& app) {
    std::vector<std::string> names;
    for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) names.push_back(sub->get_name());
    return names;
}

}  // namespace

TEST_CASE("the table has every group the issue names, with the Go CLI's names") {
    std::set<std::string> groups;
    for (const auto& group : group_index()) groups.insert(group.name);
    for (const char* name :
         {"libraries", "instance-pools", "cluster-policies", "policy-families", "global-init-scripts", "instance-profiles",
          "users", "groups", "service-principals", "current-user", "permissions", "catalogs", "schemas", "volumes",
          "tables", "grants", "external-locations", "storage-credentials", "functions", "pipelines", "warehouses",
          "queries", "alerts", "dashboards", "lakeview", "serving-endpoints", "experiments", "model-registry", "apps",
          "git-credentials", "workspace-conf", "token-management", "jobs"}) {
        INFO(name);
        CHECK(groups.contains(name));
        CHECK(has_group(name));
    }
    CHECK_FALSE(has_group("bundle"));  // the hand-written bundle command, not BundleAPI
    CHECK_FALSE(has_group("no-such-group"));
    CHECK_FALSE(has_group(""));
    CHECK(load_group("no-such-group").empty());
    CHECK(command("jobs", "get-permissions").path == "/api/2.0/permissions/jobs/{job_id}");
    CHECK(command("current-user", "me").path == "/api/2.0/preview/scim/v2/Me");
}

TEST_CASE("required fields are positional arguments in the Go CLI's order") {
    CHECK(command("schemas", "create").args == std::vector<std::string>{"name", "catalog_name"});
    CHECK(command("volumes", "create").args == std::vector<std::string>{"catalog_name", "schema_name", "name", "volume_type"});
    CHECK(command("global-init-scripts", "update").args == std::vector<std::string>{"script_id", "name", "script"});
    CHECK(command("permissions", "set").args == std::vector<std::string>{"request_object_type", "request_object_id"});

    auto create = build("schemas", "create", {"sales", "main"});
    CHECK(create.method == api::Method::Post);
    CHECK(create.path == "/api/2.1/unity-catalog/schemas");
    CHECK(create.body == Json{{"name", "sales"}, {"catalog_name", "main"}});

    auto set = build("permissions", "set", {"jobs", "5"}, {}, Json{{"access_control_list", Json::array()}});
    CHECK(set.method == api::Method::Put);
    CHECK(set.path == "/api/2.0/permissions/jobs/5");
    CHECK(set.body == Json{{"access_control_list", Json::array()}});

    auto tables = build("tables", "list", {"main", "sales"});
    CHECK(tables.query == api::Query{{"catalog_name", "main"}, {"schema_name", "sales"}});
    CHECK(tables.body.is_null());
}

TEST_CASE("flags are typed: integers, booleans and enums are checked before anything is sent") {
    auto removed = build("catalogs", "delete", {"main"}, {{"force", "true"}});
    CHECK(removed.method == api::Method::Delete);
    CHECK(removed.path == "/api/2.1/unity-catalog/catalogs/main");
    CHECK(removed.query == api::Query{{"force", "true"}});

    auto pool = build("instance-pools", "create", {"pool", "i3.xlarge"}, {{"max_capacity", "10"}, {"enable_elastic_disk", "f"}});
    CHECK(pool.body["max_capacity"] == 10);
    CHECK(pool.body["enable_elastic_disk"] == false);

    CHECK(usage_error_of([] { build("instance-pools", "create", {"pool", "i3"}, {{"max_capacity", "ten"}}); }) ==
          "invalid value \"ten\" for --max-capacity: expected an integer");
    CHECK(usage_error_of([] { build("catalogs", "delete", {"main"}, {{"force", "yes"}}); }) ==
          "invalid value \"yes\" for --force: expected true or false");
    auto enum_error = usage_error_of([] { build("volumes", "create", {"main", "default", "v", "SOMETIMES"}); });
    CHECK(enum_error == "invalid value \"SOMETIMES\" for VOLUME_TYPE: expected one of EXTERNAL, MANAGED");
    CHECK(build("volumes", "create", {"main", "default", "v", "MANAGED"}).body["volume_type"] == "MANAGED");
}

TEST_CASE("argument counts and --json follow the Go CLI's rules") {
    CHECK(usage_error_of([] { build("schemas", "create", {"sales"}); }) ==
          "schemas create takes 2 arguments (NAME CATALOG_NAME), got 1");
    CHECK(usage_error_of([] { build("current-user", "me", {"x"}); }) == "current-user me takes no arguments, got 1");
    // With --json the body's required fields come from the JSON; path parameters stay arguments.
    auto from_json = build("schemas", "create", {}, {{"comment", "flag"}}, Json{{"name", "s"}, {"catalog_name", "c"}, {"comment", "json"}});
    CHECK(from_json.body == Json{{"name", "s"}, {"catalog_name", "c"}, {"comment", "json"}});  // --json wins
    CHECK(usage_error_of([] { build("schemas", "create", {"s", "c"}, {}, Json::object()); }) ==
          "when --json is given, no positional arguments are allowed: put 'name', 'catalog_name' in the JSON input");
    CHECK(usage_error_of([] { build("global-init-scripts", "update", {"id", "n", "s"}, {}, Json::object()); }) ==
          "when --json is given, give only SCRIPT_ID as arguments: put 'name', 'script' in the JSON input");
    CHECK(build("global-init-scripts", "update", {"7"}, {}, Json{{"name", "n"}}).path == "/api/2.0/global-init-scripts/7");
    // A required list or object can only come as JSON.
    CHECK(command("libraries", "install").json == JsonInput::Required);
    CHECK(usage_error_of([] { build("libraries", "install", {}); }).find("needs its request as JSON") != std::string::npos);
    auto install = build("libraries", "install", {}, {}, Json{{"cluster_id", "c1"}, {"libraries", Json::array()}});
    CHECK(install.body["cluster_id"] == "c1");
    CHECK(usage_error_of([] { build("catalogs", "get", {""}); }) == "NAME must not be empty");
}

TEST_CASE("flag and argument names: kebab-case flags, upper-case arguments") {
    CHECK(flag_name("include_browse") == "include-browse");
    CHECK(flag_name("startIndex") == "start-index");
    CHECK(flag_name("excludedAttributes") == "excluded-attributes");
    CHECK(argument_name("catalog_name") == "CATALOG_NAME");
    CHECK(argument_name("startIndex") == "START_INDEX");
    Field number{"value", FieldPlace::Body, FieldKind::Number, "number", false, {}};
    CHECK(typed_value(number, "2.5", "VALUE") == 2.5);
    CHECK(typed_value(number, "3", "VALUE") == 3);
    CHECK_THROWS_AS(typed_value(number, "nan", "VALUE"), cli::UsageError);
    CHECK(query_text(Json(true)) == "true");
    CHECK(query_text(Json(12)) == "12");
}

TEST_CASE("every generated group builds, and every command has a summary, a usage and an example") {
    cli::Context context;
    CLI::App root{"brix", "brix"};
    root.formatter(std::make_shared<cli::HelpFormatter>());
    std::size_t commands = 0;
    for (const auto& group : group_index()) {
        auto specs = load_group(group.name);
        INFO(group.name);
        REQUIRE_FALSE(specs.empty());
        auto* app = root.add_subcommand(group.name, group.summary);
        for (auto& spec : specs) {
            ++commands;
            auto words = spec.words;
            add_generated_command(*app, context, std::move(spec), group.name);
            auto* verb = app;
            for (const auto& word : words) verb = find_command(*verb, word);
            REQUIRE(verb != nullptr);
            auto help = verb->help();
            INFO(help);
            CHECK(help.find("Usage: brix " + group.name) != std::string::npos);
            CHECK(help.find("\nExample:\n  brix " + group.name) != std::string::npos);
            CHECK_FALSE(verb->get_description().empty());
        }
    }
    CHECK(commands > 900);
    auto* create = find_command(*find_command(root, "catalogs"), "create");
    auto help = create->help();
    CHECK(help.find("--comment <string>") != std::string::npos);
    CHECK(help.find("--json <json>") != std::string::npos);
    CHECK(help.find("  options") != std::string::npos);  // a map: in the field list, --json only
    CHECK(help.find("--json only") != std::string::npos);
    auto* list = find_command(*find_command(root, "catalogs"), "list");
    CHECK(list->help().find("--limit <n>") != std::string::npos);
    CHECK(list->help().find("--include-browse") != std::string::npos);
}

TEST_CASE("only what the command line names is built") {
    cli::Context context;
    auto fresh_root = [] {
        auto root = std::make_unique<CLI::App>("brix", "brix");
        auto* jobs = root->add_subcommand("jobs", "hand-written");
        jobs->add_subcommand("get", "hand-written get");
        jobs->add_subcommand("list", "hand-written list");
        root->add_subcommand("workspace", "hand-written")->add_subcommand("ls", "hand-written ls");
        return root;
    };
    auto root = fresh_root();
    add_generated_commands(*root, context, {"--version"});
    CHECK(names_below(*root) == std::vector<std::string>{"jobs", "workspace"});
    add_generated_commands(*root, context, {"api", "get", "/x"});
    CHECK(names_below(*root) == std::vector<std::string>{"jobs", "workspace", "api"});
    root = fresh_root();
    add_generated_commands(*root, context, {"workspace", "ls", "/"});
    CHECK(names_below(*find_command(*root, "workspace")) == std::vector<std::string>{"ls"});

    root = fresh_root();
    add_generated_commands(*root, context, {"-p", "dev", "--output=json", "catalogs", "list"});
    CHECK(names_below(*root) == std::vector<std::string>{"jobs", "workspace", "catalogs"});
    CHECK(find_command(*find_command(*root, "catalogs"), "create") != nullptr);

    root = fresh_root();
    add_generated_commands(*root, context, {"jobs", "get-permissions", "5"});
    auto* jobs = find_command(*root, "jobs");
    CHECK(find_command(*jobs, "get")->get_description() == "hand-written get");  // never shadowed
    CHECK(find_command(*jobs, "get-permissions") != nullptr);
    CHECK(find_command(*jobs, "repair-run") != nullptr);

    root = fresh_root();
    add_generated_commands(*root, context, {"--help"});
    CHECK(names_below(*root).size() == group_index().size() + 1);  // jobs and workspace are in the index; api is not
    CHECK(find_command(*root, "api") != nullptr);
    CHECK(find_command(*root, "catalogs")->get_subcommands([](CLI::App*) { return true; }).empty());

    CHECK(first_command_word({"-p", "x", "--debug", "api", "get"}) == "api");
    CHECK(first_command_word({"--version"}).empty());
}
