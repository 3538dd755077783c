// `clusters` verbs. On the local engine a cluster is a named environment for job tasks (Python,
// spark_env_vars, spark_conf, num_workers as local[N]); on a workspace, a Databricks cluster.
#include "commands/clusters/clusters.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <thread>

#include "api/schema.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/jobs/job_input.hpp"
#include "commands/jobs/verb_support.hpp"
#include "commands/page_guard.hpp"

namespace brix::commands {
namespace clusters_verbs {  // named for unity builds, like jobs_verbs

using api::Json;
using api::Method;
using namespace clusters;

std::string path(const std::string& endpoint) { return "/api/2.1/clusters/" + endpoint; }

struct ClusterId {
    std::optional<std::string> positional, flag;

    std::string resolve() const {
        if (positional && flag && *positional != *flag) throw cli::UsageError("give the cluster once: CLUSTER_ID or --cluster-id");
        if (!positional && !flag) throw cli::UsageError("give the cluster: CLUSTER_ID or --cluster-id");
        return positional ? *positional : *flag;
    }
};

void add_cluster_id(CLI::App& verb, ClusterId& id) {
    verb.add_option("CLUSTER_ID", id.positional, "The cluster's ID");
    verb.add_option("--cluster-id", id.flag, "The cluster's ID (legacy)");
}

bool wants_json(const jobs::JsonInput& input) { return input.json || input.json_file; }

// Waits when asked, then prints the cluster; `fallback` is printed when not waiting.
void finish(cli::Context& context, const std::string& cluster_id, const std::string& target, const jobs::WaitFlags& flags,
            const std::optional<Json>& fallback) {
    auto& api = context.api();
    if (!jobs::should_wait(flags, jobs::WaitByDefault::Yes)) {
        if (fallback) cli::print_json(*fallback);
        return;
    }
    auto timeout = jobs::parse_timeout_flag(flags.timeout);
    auto cluster = wait_for_state(api, cluster_id, target, timeout);
    if (!cluster) {
        std::fprintf(stderr, "Error: timed out after %s waiting for cluster %s to be %s\n",
                     jobs::format_go_duration(timeout).c_str(), cluster_id.c_str(), target.c_str());
        context.exit_code = cli::ExitCode::TimedOut;
        return;
    }
    if (fallback) cli::print_json(*cluster);
}

void add_create(CLI::App& group, cli::Context& context) {
    struct Options {
        SpecFlags spec;
        jobs::JsonInput input;
        jobs::WaitFlags wait;
    };
    auto options = std::make_shared<Options>();
    auto* verb = group.add_subcommand("create", "Create a cluster and wait until it is RUNNING");
    verb->add_option("SPARK_VERSION", options->spec.spark_version, "The runtime, e.g. 15.4.x-scala2.12 (see spark-versions)");
    verb->add_option("--cluster-name", options->spec.cluster_name, "A name (need not be unique)");
    verb->add_option("--num-workers", options->spec.num_workers, "Workers; on the local engine the Spark parallelism local[N] (0 = all cores)");
    verb->add_option("--node-type-id", options->spec.node_type_id, "The node type (see list-node-types)");
    verb->add_option("--autotermination-minutes", options->spec.autotermination_minutes, "Terminate after this many idle minutes (0 = never; else 10 to 10000)");
    jobs::add_json_input(*verb, options->input);
    jobs::add_wait_flags(*verb, options->wait, jobs::WaitByDefault::Yes);
    verb->footer("Prints the cluster once RUNNING; with --no-wait, {\"cluster_id\": ...} at once.\n"
                 "Examples:\n  brix clusters create 15.4.x-scala2.12 --cluster-name etl --num-workers 2\n"
                 "  brix clusters create --json @cluster.json --no-wait\n  brix clusters create --json-file cluster.json");
    verb->callback([&context, options] {
        auto body = spec_body(wants_json(options->input) ? jobs::load_json_object(options->input) : Json::object(), options->spec);
        auto created = context.api().call(Method::Post, path("create"), {}, body);
        finish(context, created.value("cluster_id", ""), "RUNNING", options->wait, created);
    });
}

// What a cluster was last given, as clusters/edit takes it: the `spec` the workspace reports (the
// settings as sent, without the defaults it filled in), else the details; either cut to the
// fields of the edit body (api/schema), since the details also hold state, times and sizes.
Json current_spec(api::Api& api, const std::string& cluster_id) {
    auto cluster = api.call(Method::Get, path("get"), {{"cluster_id", cluster_id}});
    auto spec = cluster.find("spec");
    const auto& source = spec != cluster.end() && spec->is_object() ? *spec : cluster;
    const auto* edit = api::schema::find_route("POST", path("edit"));
    if (!edit) throw std::logic_error("the API table lacks POST " + path("edit"));
    Json settings = Json::object();
    for (const auto& [key, value] : source.items())
        if (api::schema::is_known_field(edit->body, key)) settings[key] = value;
    settings["cluster_id"] = cluster_id;
    return settings;
}

void add_edit(CLI::App& group, cli::Context& context) {
    struct Options {
        ClusterId id;
        SpecFlags spec;
        jobs::JsonInput input;
    };
    auto options = std::make_shared<Options>();
    auto* verb = group.add_subcommand("edit", "Replace a cluster's settings (RUNNING clusters restart)");
    add_cluster_id(*verb, options->id);
    verb->add_option("--spark-version", options->spec.spark_version, "The runtime, e.g. 15.4.x-scala2.12");
    verb->add_option("--cluster-name", options->spec.cluster_name, "A name");
    verb->add_option("--num-workers", options->spec.num_workers, "Workers (local[N] on the local engine)");
    verb->add_option("--node-type-id", options->spec.node_type_id, "The node type");
    verb->add_option("--autotermination-minutes", options->spec.autotermination_minutes, "Idle minutes before termination (0 = never)");
    jobs::add_json_input(*verb, options->input);
    verb->footer("The API replaces the whole spec: --json gives it whole (spark_version is required); with flags\n"
                 "alone, brix reads the cluster's settings and sends them with the flags' changes.\n"
                 "Examples:\n  brix clusters edit 0923-164208-meows279 --num-workers 2\n"
                 "  brix clusters edit 0923-164208-meows279 --json @cluster.json\n"
                 "  brix clusters edit --json '{\"cluster_id\": \"0923-164208-meows279\", \"spark_version\": \"15.4.x-scala2.12\"}'");
    verb->callback([&context, options] {
        const auto& flags = options->spec;
        bool any_flag = flags.spark_version || flags.cluster_name || flags.node_type_id || flags.num_workers || flags.autotermination_minutes;
        if (!wants_json(options->input) && !any_flag)
            throw cli::UsageError("nothing to change: give --json, or the settings to change (--num-workers, --spark-version, ...)");
        auto& api = context.api();
        auto base = wants_json(options->input) ? jobs::load_json_object(options->input) : current_spec(api, options->id.resolve());
        // A fixed size and autoscaling exclude each other: the flag's wins over the settings read.
        if (options->spec.num_workers) base.erase("autoscale");
        else if (base.contains("autoscale") && !wants_json(options->input)) base.erase("num_workers");
        auto body = spec_body(std::move(base), options->spec);
        if (options->id.positional || options->id.flag) body["cluster_id"] = options->id.resolve();
        if (!body.contains("cluster_id")) throw cli::UsageError("give the cluster: CLUSTER_ID, --cluster-id or cluster_id in --json");
        api.call(Method::Post, path("edit"), {}, body);
    });
}

// Every page of clusters/list.
void for_each_cluster(api::Api& api, const api::Query& filter, const std::function<void(const Json&)>& visit) {
    PageGuard guard("GET " + path("list"));
    std::string token;
    do {
        auto query = filter;
        if (!token.empty()) query.emplace_back("page_token", guard.next_token(token));
        auto page = api.call(Method::Get, path("list"), query);
        for (const auto& cluster : page.value("clusters", Json::array())) visit(cluster);
        token = page.value("next_page_token", "");
    } while (!token.empty());
}

std::string id_by_name(api::Api& api, const std::string& name) {
    std::vector<std::string> ids;
    for_each_cluster(api, {}, [&](const Json& cluster) {
        if (cluster.value("cluster_name", "") == name) ids.push_back(cluster.value("cluster_id", ""));
    });
    if (ids.empty()) throw api::ApiError(404, "RESOURCE_DOES_NOT_EXIST", "No cluster is named " + name);
    if (ids.size() > 1) throw std::runtime_error(std::to_string(ids.size()) + " clusters are named " + name + "; give CLUSTER_ID");
    return ids.front();
}

void add_get(CLI::App& group, cli::Context& context) {
    struct Options {
        ClusterId id;
        std::optional<std::string> name;
    };
    auto options = std::make_shared<Options>();
    auto* verb = group.add_subcommand("get", "Show a cluster (JSON)");
    add_cluster_id(*verb, options->id);
    verb->add_option("--cluster-name", options->name, "Find the cluster by its (unique) name");
    verb->footer("Examples:\n  brix clusters get 0923-164208-meows279\n  brix clusters get --cluster-name etl");
    verb->callback([&context, options] {
        auto& api = context.api();
        if (options->name && (options->id.positional || options->id.flag))
            throw cli::UsageError("give CLUSTER_ID (or --cluster-id) or --cluster-name, not both");
        auto id = options->name ? id_by_name(api, *options->name) : options->id.resolve();
        cli::print_json(api.call(Method::Get, path("get"), {{"cluster_id", id}}));
    });
}

void add_list(CLI::App& group, cli::Context& context) {
    struct Options {
        jobs::ListJson shape = jobs::ListJson::Items;
        std::vector<std::string> states;
    };
    auto options = std::make_shared<Options>();
    auto* verb = group.add_subcommand("list", "List clusters (cluster_id, name, state)");
    verb->add_option("--cluster-states", options->states, "Only clusters in these states (RUNNING, TERMINATED, ...)");
    jobs::add_legacy_output_flag(*verb, context, options->shape);
    verb->footer("-o json prints an array of clusters; the legacy --output JSON prints {\"clusters\": [...]}.\n"
                 "Examples:\n  brix clusters list\n  brix clusters list --cluster-states RUNNING -o json");
    verb->callback([&context, options] {
        Json clusters = Json::array();
        api::Query query;
        for (const auto& state : options->states) query.emplace_back("filter_by.cluster_states", state);
        for_each_cluster(context.api(), query, [&](const Json& cluster) { clusters.push_back(cluster); });
        if (context.output_mode() == cli::OutputMode::Json)
            return cli::print_json(options->shape == jobs::ListJson::Items ? clusters : Json{{"clusters", clusters}});
        std::vector<cli::Row> rows;
        for (const auto& cluster : clusters)
            rows.push_back({cluster.value("cluster_id", ""), cluster.value("cluster_name", ""), cluster.value("state", "")});
        cli::print_table(rows);
    });
}

// start, restart, delete: a cluster ID and a wait for the state the action leads to.
void add_action(CLI::App& group, cli::Context& context, const std::string& name, const std::string& help,
                const std::string& endpoint, const std::string& target, const std::string& example) {
    struct Options {
        ClusterId id;
        jobs::WaitFlags wait;
    };
    auto options = std::make_shared<Options>();
    auto* verb = group.add_subcommand(name, help);
    add_cluster_id(*verb, options->id);
    jobs::add_wait_flags(*verb, options->wait, jobs::WaitByDefault::Yes);
    verb->footer("Waits until the cluster is " + target + " unless --no-wait.\nExample:\n  " + example);
    verb->callback([&context, options, endpoint, target] {
        auto id = options->id.resolve();
        context.api().call(Method::Post, path(endpoint), {}, {{"cluster_id", id}});
        finish(context, id, target, options->wait, std::nullopt);
    });
}

void add_permanent_delete(CLI::App& group, cli::Context& context) {
    auto id = std::make_shared<ClusterId>();
    auto* verb = group.add_subcommand("permanent-delete", "Delete a cluster for good (it leaves the list)");
    add_cluster_id(*verb, *id);
    verb->footer("Example:\n  brix clusters permanent-delete 0923-164208-meows279");
    verb->callback([&context, id] { context.api().call(Method::Post, path("permanent-delete"), {}, {{"cluster_id", id->resolve()}}); });
}

void add_resize(CLI::App& group, cli::Context& context) {
    struct Options {
        ClusterId id;
        std::int64_t workers = 0;
    };
    auto options = std::make_shared<Options>();
    auto* verb = group.add_subcommand("resize", "Change a RUNNING cluster's number of workers");
    add_cluster_id(*verb, options->id);
    verb->add_option("--num-workers", options->workers, "The new number of workers")->required();
    verb->footer("Example:\n  brix clusters resize 0923-164208-meows279 --num-workers 4");
    verb->callback([&context, options] {
        context.api().call(Method::Post, path("resize"), {}, {{"cluster_id", options->id.resolve()}, {"num_workers", options->workers}});
    });
}

void add_info(CLI::App& group, cli::Context& context, const std::string& name, const std::string& help, const std::string& endpoint) {
    auto* verb = group.add_subcommand(name, help);
    verb->footer("Example:\n  brix clusters " + name);
    verb->callback([&context, endpoint] { cli::print_json(context.api().call(Method::Get, path(endpoint))); });
}

}  // namespace clusters_verbs

namespace clusters {

using clusters_verbs::path;
using api::Json;
using api::Method;

std::optional<Json> wait_for_state(api::Api& api, const std::string& cluster_id, const std::string& target,
                                   std::chrono::milliseconds timeout, std::chrono::milliseconds first_poll) {
    using Clock = std::chrono::steady_clock;
    auto deadline = timeout.count() > 0 ? Clock::now() + timeout : Clock::time_point::max();
    auto delay = first_poll;
    for (;;) {
        auto cluster = api.call(Method::Get, path("get"), {{"cluster_id", cluster_id}});
        auto state = cluster.value("state", "");
        if (state == target) return cluster;
        bool stuck = state == "ERROR" || (target == "RUNNING" && state == "TERMINATED") || state == "UNKNOWN";
        if (stuck) {
            auto message = cluster.value("state_message", "");
            throw std::runtime_error("cluster " + cluster_id + " is " + state + (message.empty() ? "" : ": " + message));
        }
        auto now = Clock::now();
        if (now >= deadline) return std::nullopt;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        std::this_thread::sleep_for(std::min(delay, left));
        delay = std::min(std::chrono::milliseconds(2000), delay * 3 / 2);
    }
}

Json spec_body(Json json, const SpecFlags& flags) {
    if (flags.spark_version) json["spark_version"] = *flags.spark_version;
    if (flags.cluster_name) json["cluster_name"] = *flags.cluster_name;
    if (flags.node_type_id) json["node_type_id"] = *flags.node_type_id;
    if (flags.num_workers) json["num_workers"] = *flags.num_workers;
    if (flags.autotermination_minutes) json["autotermination_minutes"] = *flags.autotermination_minutes;
    return json;
}

}  // namespace clusters

void add_clusters_commands(CLI::App& app, cli::Context& context) {
    using namespace clusters_verbs;
    auto* group = app.add_subcommand("clusters", "Clusters: on the local engine, named environments that job tasks run in");
    group->footer("Both syntaxes work: `clusters get ID` and `clusters get --cluster-id ID`. A job task selects one\n"
                  "with existing_cluster_id; new_cluster makes an environment for that run only.\n"
                  "Examples:\n  brix clusters list\n  brix clusters create 15.4.x-scala2.12 --cluster-name etl --num-workers 2");
    add_create(*group, context);
    add_edit(*group, context);
    add_get(*group, context);
    add_list(*group, context);
    add_action(*group, context, "start", "Start a TERMINATED cluster", "start", "RUNNING", "brix clusters start 0923-164208-meows279");
    add_action(*group, context, "restart", "Restart a RUNNING cluster", "restart", "RUNNING", "brix clusters restart --cluster-id 0923-164208-meows279");
    add_action(*group, context, "delete", "Terminate a cluster (it stays listed; start brings it back)", "delete", "TERMINATED",
               "brix clusters delete 0923-164208-meows279 --no-wait");
    add_permanent_delete(*group, context);
    add_resize(*group, context);
    add_info(*group, context, "spark-versions", "List the runtime versions clusters can use", "spark-versions");
    add_info(*group, context, "list-node-types", "List the node types clusters can use", "list-node-types");
    add_info(*group, context, "list-zones", "List the availability zones", "list-zones");
}

}  // namespace brix::commands
